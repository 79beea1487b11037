#include "hmax/trainable_s1.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/pooling.h>

#include "common/error.h"
#include "hmax/gabor_bank.h"

namespace ventral::hmax {

namespace F = torch::nn::functional;

TrainableS1Impl::TrainableS1Impl(TrainableS1Options opts) : options(std::move(opts)) {
  for (int n : options.sizes()) {
    if (n < 7 || n > 7 + 2 * (kClassicScales - 1) || n % 2 == 0) {
      fail("hmax-bp: S1 filter size {} invalid, expected an odd size from 7 to {}", n,
           7 + 2 * (kClassicScales - 1));
    }
    const auto bank = classic_gabor_scale((n - 7) / 2);
    auto w = torch::tensor(std::vector<float>(bank.begin(), bank.end())).view({4, 1, n, n});
    // Colour input: the same Gabor on every channel, scaled so a gray image gives the
    // classic response.
    w = w.repeat({1, options.in_chans(), 1, 1}) / static_cast<double>(options.in_chans());
    weights_.push_back(register_parameter("weight_" + std::to_string(n), w));
  }
}

std::vector<torch::Tensor> TrainableS1Impl::forward(const torch::Tensor& images) {
  auto energy = images.pow(2).sum(1, true);
  std::vector<torch::Tensor> out;
  for (std::size_t i = 0; i < weights_.size(); ++i) {
    const int64_t n = options.sizes()[i];
    auto response = F::conv2d(images, weights_[i], F::Conv2dFuncOptions().padding(n / 2)).abs();
    // Window energy by an average pool (times the window area): one pass, no kernel of ones.
    auto window = F::avg_pool2d(energy, F::AvgPool2dFuncOptions(n).stride(1).padding(n / 2)) *
                  static_cast<double>(n * n);
    out.push_back(response / (window.clamp_min(0).sqrt() + 1e-3));
  }
  return out;
}

}  // namespace ventral::hmax
