#include "alignment/saliency.h"

#include <torch/torch.h>

#include "common/error.h"

namespace ventral::alignment {

torch::Tensor saliency_maps(const LogitsOf& logits_of, const torch::Tensor& inputs,
                            const torch::Tensor& labels, ChannelReduction reduction) {
  torch::AutoGradMode grad_on(true);
  auto x = inputs.detach().clone().requires_grad_(true);
  auto logits = logits_of(x);
  if (logits.dim() != 2 || logits.size(0) != inputs.size(0)) {
    fail("saliency: the model returned logits of shape {}, expected {} x classes",
         c10::str(logits.sizes()), inputs.size(0));
  }
  const auto classes = logits.size(1);
  const auto bad = (labels < 0).logical_or(labels >= classes);
  if (bad.any().item<bool>()) {
    fail("saliency: label {} is outside the model's {} classes",
         labels.masked_select(bad)[0].item<int64_t>(), classes);
  }
  // One backward pass for the whole batch: image n's logit depends on image n only (eval mode).
  auto picked = logits.gather(1, labels.to(logits.device()).view({-1, 1})).sum();
  auto gradient = torch::autograd::grad({picked}, {x})[0];
  return reduction == ChannelReduction::abs_mean ? gradient.mean(1).abs() : gradient.abs().amax(1);
}

}  // namespace ventral::alignment
