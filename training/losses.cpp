#include "training/losses.h"

namespace ventral::training {

torch::Tensor smoothed_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                     double smoothing) {
  auto log_probs = torch::log_softmax(logits.to(torch::kFloat), 1);
  auto nll = -log_probs.gather(1, labels.unsqueeze(1)).squeeze(1);
  if (smoothing <= 0.0) return nll.mean();
  auto uniform = -log_probs.mean(1);
  return ((1.0 - smoothing) * nll + smoothing * uniform).mean();
}

}  // namespace ventral::training
