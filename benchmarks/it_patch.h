// `it-patch`: predictivity of IT-patch spatial maps (neural_fit/patch_protocol.h, what
// `ventral fit --protocol patch` computes): layer maps resampled to the recording grid, PLS,
// leave-one-image-out folds with the layer chosen inside each fold on the training images
// only. Ceiling: the published best inter-site agreement (ceiled = raw / ceiling); the
// split-half ceiling and its conventions in `extra` / `ceiled` when the data have repetitions.
// The features come from the stimuli's dataset in memory (ids "<split>-<index>").
#pragma once

#include <vector>

#include "benchmarks/benchmark.h"
#include "neural_fit/patch_protocol.h"

namespace ventral::benchmarks {

class ItPatchBenchmark : public Benchmark {
 public:
  explicit ItPatchBenchmark(BenchmarkArgs& args);
  void check(const ScoringContext& context) const override;
  BenchmarkResult run(ScoringContext& context) override;

 private:
  std::string patch_, data_, split_;
  std::vector<std::string> layers_;
  std::size_t count_ = 0;
  neural_fit::PatchOptions options_;
};

}  // namespace ventral::benchmarks
