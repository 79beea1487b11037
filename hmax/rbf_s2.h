// Trainable S2 with Gaussian (RBF) tuning, PNAS 2007 style: for prototype P of size m
// and the C1 patch X at each position, r = exp(-||X - P||^2 / (2 sigma^2 * 4 m^2)), i.e.
// the mean squared difference per element, so prototypes of every size share one sigma
// scale. Prototypes and per-prototype sigmas are learned. Paired with a max in C2
// (docs/reference/trainable_hmax.md 2.3: a similarity S2 needs a max, not the classic min).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace ventral::hmax {

struct RbfS2Options {
  TORCH_ARG(int64_t, channels) = 4;
  TORCH_ARG(std::vector<int>, sizes) = std::vector<int>{4};
  TORCH_ARG(int64_t, per_size) = 64;
  TORCH_ARG(double, sigma) = 0.2;  ///< initial tuning width
};

class RbfS2Impl : public torch::nn::Module {
 public:
  explicit RbfS2Impl(RbfS2Options options);
  /// For one C1 band (N, channels, H, W): one (N, per_size, H', W') map per prototype size.
  std::vector<torch::Tensor> forward(const torch::Tensor& band);

  RbfS2Options options;

 private:
  std::vector<torch::Tensor> prototypes_;  ///< (per_size, channels, m, m) per size
  std::vector<torch::Tensor> log_sigma_;   ///< (per_size) per size
};
TORCH_MODULE(RbfS2);

}  // namespace ventral::hmax
