#include "training/evaluate.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>

#include "common/error.h"
#include "common/progress.h"
#include "training/data/dataset.h"

namespace ventral::training {

std::pair<int64_t, int64_t> topk_hits(const torch::Tensor& logits, const torch::Tensor& labels) {
  const int64_t k = std::min<int64_t>(5, logits.size(1));
  auto top = std::get<1>(logits.topk(k, 1));
  auto hits = top.eq(labels.view({-1, 1}));
  return {hits.select(1, 0).sum().item<int64_t>(), hits.any(1).sum().item<int64_t>()};
}

EvalResult evaluate(models::VisionModelImpl& model, data::Loader& loader, const torch::Device& device,
                    const std::string& progress_label) {
  torch::NoGradGuard no_grad;
  const bool was_training = model.is_training();
  model.eval();
  EvalResult result;
  double loss_sum = 0;
  int64_t hits1 = 0, hits5 = 0;
  std::optional<Progress> progress;
  if (!progress_label.empty()) progress.emplace(progress_label, loader.batches_per_epoch(), "batches");
  loader.start_epoch(0);
  int64_t done = 0;
  while (auto batch = loader.next()) {
    auto images = batch->images.to(device);
    auto labels = batch->labels.to(device);
    auto logits = model.forward(images).to(torch::kFloat);
    loss_sum += torch::nn::functional::cross_entropy(
                    logits, labels,
                    torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum))
                    .item<double>();
    auto [h1, h5] = topk_hits(logits, labels);
    hits1 += h1;
    hits5 += h5;
    result.n += labels.size(0);
    if (progress) progress->update(++done);
  }
  if (was_training) model.train();
  if (result.n > 0) {
    result.top1 = 100.0 * static_cast<double>(hits1) / static_cast<double>(result.n);
    result.top5 = 100.0 * static_cast<double>(hits5) / static_cast<double>(result.n);
    result.loss = loss_sum / static_cast<double>(result.n);
  }
  return result;
}

std::pair<EvalResult, std::string> evaluate_split(const TrainedModel& trained, const std::string& data,
                                                  const SplitEvalOptions& options,
                                                  const torch::Device& device) {
  const auto split = options.split.empty() ? data::default_eval_split(data) : options.split;
  auto dataset = data::open_dataset(data, split, {options.class_map});
  if (dataset->size() == 0) fail("{}: split '{}' is empty", data, split);
  const auto& resolved = trained.model->resolved_options();
  const long long classes = resolved.count("num_classes") ? std::stoll(resolved.at("num_classes")) : 0;
  if (classes != static_cast<long long>(dataset->classes().size())) {
    fail("{}: split '{}' has {} classes, the model {} was trained on {}", data, split,
         dataset->classes().size(), trained.path, classes);
  }
  data::LoaderOptions loader_options;
  loader_options.batch_size = options.batch_size;
  loader_options.workers = options.workers;
  loader_options.skip_corrupt = false;  // evaluation never hides a broken file
  loader_options.transform = trained.eval_transform;
  data::Loader loader(dataset, loader_options);
  return {evaluate(*trained.model, loader, device, options.progress_label), split};
}

}  // namespace ventral::training
