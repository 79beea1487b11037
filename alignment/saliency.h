// Model saliency for the ClickMe alignment score (docs/reference/scoring.md sec. 1.2): the
// gradient of the true-class logit with respect to the preprocessed input, absolute, maximum
// over colour channels (xplique's Saliency), with the model as the caller set it (eval mode
// for scoring).
#pragma once

#include <torch/types.h>

#include <functional>

namespace ventral::alignment {

/// Logits (N x classes) of inputs (N x C x H x W).
using LogitsOf = std::function<torch::Tensor(const torch::Tensor&)>;

/// How the gradient's colour channels become one map.
enum class ChannelReduction {
  max_abs,  ///< max_c |g| (the release protocol, xplique's Saliency)
  abs_mean  ///< |mean_c g| (the paper-era PyTorch evaluation)
};

/// reduce_c d logits[n, labels[n]] / d inputs[n, c]: N x H x W. Gradients are computed even
/// under an outer NoGradGuard; `inputs` itself is not modified.
torch::Tensor saliency_maps(const LogitsOf& logits_of, const torch::Tensor& inputs,
                            const torch::Tensor& labels,
                            ChannelReduction reduction = ChannelReduction::max_abs);

}  // namespace ventral::alignment
