// Trainable classic S1: one convolution per filter size, initialised with the classic
// Gabor bank (4 orientations per size, docs/reference/hmax_classic.md) and then learned. The response is
// the classic normalised one, |w * x| / ||x|| over the filter's window, so the front end
// starts exactly where classic HMAX is and backprop moves it from there.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace ventral::hmax {

struct TrainableS1Options {
  TORCH_ARG(int64_t, in_chans) = 1;
  /// Odd filter sizes from the classic bank (7, 9, ..., 37).
  TORCH_ARG(std::vector<int>, sizes) = std::vector<int>{7, 9, 11, 13};
};

class TrainableS1Impl : public torch::nn::Module {
 public:
  explicit TrainableS1Impl(TrainableS1Options options);
  /// One (N, 4, H, W) map per filter size ('same' padding).
  std::vector<torch::Tensor> forward(const torch::Tensor& images);

  TrainableS1Options options;

 private:
  std::vector<torch::Tensor> weights_;  ///< (4, in_chans, n, n) per size
};
TORCH_MODULE(TrainableS1);

}  // namespace ventral::hmax
