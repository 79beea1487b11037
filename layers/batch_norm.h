// BatchNorm2d with a fused double backward. LibTorch 1.13's double backward of batch norm
// in training mode (batchnorm_double_backward) is some sixty whole-tensor operations per
// layer; under the harmonization loss (a loss on the input gradient, so a backward through
// the backward) it took about 90% of a step of hmax-wide. Here the backward of the backward
// is one kernel per channel: two passes over the input, the gradient and its gradient
// (benchmarks/speed/bench_harmonize_step). Same parameters, buffers and state-dict names as
// torch::nn::BatchNorm2d, so checkpoints are interchangeable; on anything but a float32 CPU
// tensor in training mode, and without affine parameters, it computes what
// torch::nn::BatchNorm2d does, with LibTorch's kernels.
#pragma once

#include <torch/nn/cloneable.h>
#include <torch/nn/options/batchnorm.h>
#include <torch/nn/pimpl.h>
#include <torch/types.h>

#include <ostream>

#include <tuple>

namespace ventral::layers {

class BatchNorm2dImpl : public torch::nn::Cloneable<BatchNorm2dImpl> {
 public:
  explicit BatchNorm2dImpl(int64_t num_features)
      : BatchNorm2dImpl(torch::nn::BatchNormOptions(num_features)) {}
  explicit BatchNorm2dImpl(const torch::nn::BatchNormOptions& options_);

  /// Registers weight, bias, running_mean, running_var, num_batches_tracked (in
  /// torch::nn::BatchNorm2d's order) and initialises them as it does.
  void reset() override;
  torch::Tensor forward(const torch::Tensor& input);
  void pretty_print(std::ostream& stream) const override;

  torch::nn::BatchNormOptions options;
  torch::Tensor weight, bias, running_mean, running_var, num_batches_tracked;
};
TORCH_MODULE(BatchNorm2d);

/// Training-mode batch norm of an N x C x H x W float32 CPU tensor with the fused double
/// backward; updates running_mean and running_var (when defined) with `momentum`, as
/// at::batch_norm does. The first derivative is LibTorch's own kernel; a third is refused.
torch::Tensor batch_norm_train(const torch::Tensor& input, const torch::Tensor& weight,
                               const torch::Tensor& bias, const torch::Tensor& running_mean,
                               const torch::Tensor& running_var, double momentum, double eps);

/// The fused kernel: given the saved input, mean and inverse std, the weight, the upstream
/// gradient grad_out and the gradients of (grad_input, grad_weight, grad_bias) (any may be
/// undefined), the gradients with respect to (grad_out, input, weight), as
/// batchnorm_double_backward computes them. Exposed for tests.
std::tuple<torch::Tensor, torch::Tensor, torch::Tensor> batch_norm_double_backward(
    const torch::Tensor& input, const torch::Tensor& weight, const torch::Tensor& mean,
    const torch::Tensor& invstd, const torch::Tensor& grad_out, const torch::Tensor& gg_input,
    const torch::Tensor& gg_weight, const torch::Tensor& gg_bias);

}  // namespace ventral::layers
