// Recognition accuracy of a classifier on a labelled split.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <string>

#include "models/vision_model.h"
#include "training/data/loader.h"
#include "training/trained_model.h"

namespace ventral::training {

struct EvalResult {
  double top1 = 0;  ///< percent
  double top5 = 0;  ///< percent (top-k with k = min(5, classes))
  double loss = 0;  ///< mean cross entropy
  int64_t n = 0;
};

/// Top-1 / top-5 hits of one batch of logits: {hits@1, hits@k}.
std::pair<int64_t, int64_t> topk_hits(const torch::Tensor& logits, const torch::Tensor& labels);

/// Runs the model in eval mode without gradients over every batch of `loader` (epoch 0).
/// Progress lines go to stdout when `progress_label` is not empty.
EvalResult evaluate(models::VisionModelImpl& model, data::Loader& loader, const torch::Device& device,
                    const std::string& progress_label = "");

struct SplitEvalOptions {
  std::string split;      ///< empty: the dataset's default evaluation split
  std::string class_map;  ///< DatasetOptions::class_map
  int batch_size = 64;
  int workers = 2;
  std::string progress_label;
};

/// A trained model on a split of a dataset spec (`ventral eval`, the recognition benchmark):
/// Error when the split is empty or its classes differ in number from the model's. Returns
/// the split used with the result.
std::pair<EvalResult, std::string> evaluate_split(const TrainedModel& trained, const std::string& data,
                                                  const SplitEvalOptions& options,
                                                  const torch::Device& device);

}  // namespace ventral::training
