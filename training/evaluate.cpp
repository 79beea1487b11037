#include "training/evaluate.h"

#include <torch/nn/functional/loss.h>

#include <algorithm>

#include "common/progress.h"

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

}  // namespace ventral::training
