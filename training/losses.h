// Classification losses.
#pragma once

#include <torch/types.h>

namespace ventral::training {

/// Mean cross entropy with label smoothing as timm's LabelSmoothingCrossEntropy:
/// (1 - s) * nll(target) + s * mean over classes of -log p. s = 0 is plain cross entropy.
torch::Tensor smoothed_cross_entropy(const torch::Tensor& logits, const torch::Tensor& labels,
                                     double smoothing);

}  // namespace ventral::training
