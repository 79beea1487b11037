// An S stage of the trainable HMAX family: template matching as a convolution, with the
// modern ingredients as independent switches so ablations can turn them on one at a time:
// batch norm, a 1x1 bottleneck (1x1 reduce, k x k, 1x1 expand), and a residual shortcut.
// The same block runs on every scale of the pyramid (weights shared across scales).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

namespace ventral::hmax {

struct SBlockOptions {
  SBlockOptions(int64_t in_channels, int64_t out_channels, int64_t kernel)
      : in_channels_(in_channels), out_channels_(out_channels), kernel_(kernel) {}
  TORCH_ARG(int64_t, in_channels);
  TORCH_ARG(int64_t, out_channels);
  TORCH_ARG(int64_t, kernel);
  TORCH_ARG(int64_t, stride) = 1;
  TORCH_ARG(bool, batchnorm) = true;
  /// Bottleneck: 1x1 to out/4 channels, k x k, 1x1 back to out (ResNet-style).
  TORCH_ARG(bool, conv1x1) = false;
  /// Adds the input (or a 1x1 projection of it when the shape changes) before the last ReLU.
  TORCH_ARG(bool, residual) = false;
};

class SBlockImpl : public torch::nn::Module {
 public:
  explicit SBlockImpl(SBlockOptions options);
  torch::Tensor forward(const torch::Tensor& x);

  /// Multiply-adds x 2 of one forward pass on an in_h x in_w input (convolutions only:
  /// normalisation and ReLU are a rounding error next to them). Output side in `out_h`, `out_w`.
  int64_t forward_flops(int64_t in_h, int64_t in_w, int64_t* out_h = nullptr,
                        int64_t* out_w = nullptr) const;

  SBlockOptions options;

 private:
  torch::nn::Sequential main_{nullptr};
  torch::nn::Sequential shortcut_{nullptr};
};
TORCH_MODULE(SBlock);

}  // namespace ventral::hmax
