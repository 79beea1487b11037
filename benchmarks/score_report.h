// `ventral score` results as JSON: the model, then one object per benchmark with its name,
// version, citation, settings, raw, ceiling, the ceiled values, secondary numbers and timing.
#pragma once

#include <string>
#include <vector>

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

/// What the scored model costs: its size and its FLOPs (models/flop_count.h).
struct ModelCost {
  int64_t parameters = 0;
  std::vector<int64_t> input;  ///< C, H, W of the image one forward pass was counted on
  int64_t forward_flops = 0;   ///< one image
  int64_t images_trained = 0;  ///< optimizer updates x batch size
  /// 3 x forward FLOPs x images trained: the usual estimate (the backward pass costs twice
  /// the forward); a harmonized run's second-order pass is not in it.
  double training_flops = 0;
};

/// The cost of a loaded checkpoint; the forward pass runs on one blank image of the
/// checkpoint's input size.
ModelCost model_cost(const training::TrainedModel& trained);

std::string score_json(const std::string& checkpoint, const std::string& arch, const ModelCost& cost,
                       const std::vector<BenchmarkResult>& results);

}  // namespace ventral::benchmarks
