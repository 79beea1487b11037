// The neural harmonizer's alignment loss (docs/reference/scoring.md sec. 2.1, package
// `harmonizer_loss` of serre-lab/Harmonization): the signed channel-mean gradient of the
// true-class logit, kept in the graph (double backprop), standardised and cut (ReLU of the
// z-score with the population std), compared with the human map rescaled to its maximum
// under stop-gradient, on 5 levels of a 5 x 5 binomial pyramid with TensorFlow's SAME
// padding, squared error averaged over the whole batch and weighted by the ClickMe token.
#pragma once

#include <torch/types.h>

namespace ventral::alignment {

struct HarmonizationLossOptions {
  int levels = 5;             ///< pyramid levels averaged (the package: 5; the original code: 6)
  double std_eps = 1e-5;      ///< in standardise-and-cut
  double rescale_eps = 1e-6;  ///< in the human map's rescaling
};

/// ReLU((m - mean_hw m) / (std_hw m + eps)) per map of an N x H x W stack, population std.
torch::Tensor standardize_cut(const torch::Tensor& maps, double eps = 1e-5);

/// One pyramid level down: conv2d with outer([1,4,6,4,1]) / 256, stride 2, TF SAME padding
/// (for even sizes 1 before, 2 after), zeros. N x H x W -> N x ceil(H/2) x ceil(W/2).
torch::Tensor pyramid_down(const torch::Tensor& maps);

/// L_harm for a batch. `inputs` (N x C x H x W) must require grad and `logits` (N x classes)
/// must have been computed from it by the model in training mode; `labels` (N, int64),
/// `human_maps` (N x H x W, blurred as scoring.md 1.1) and `tokens` (N, 1 where the image has
/// a ClickMe map, else 0). The result is differentiable with respect to the model's weights.
torch::Tensor harmonization_loss(const torch::Tensor& logits, const torch::Tensor& inputs,
                                 const torch::Tensor& labels, const torch::Tensor& human_maps,
                                 const torch::Tensor& tokens,
                                 const HarmonizationLossOptions& options = {});

}  // namespace ventral::alignment
