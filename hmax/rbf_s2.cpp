#include "hmax/rbf_s2.h"

#include <torch/nn/functional/conv.h>
#include <torch/nn/functional/pooling.h>

#include <cmath>

namespace ventral::hmax {

namespace F = torch::nn::functional;

RbfS2Impl::RbfS2Impl(RbfS2Options opts) : options(std::move(opts)) {
  for (int m : options.sizes()) {
    // C1 responses are normalised into [0, 1] and sit mostly below 0.5.
    auto p = torch::rand({options.per_size(), options.channels(), m, m}) * 0.5;
    prototypes_.push_back(register_parameter("prototypes_" + std::to_string(m), p));
    log_sigma_.push_back(
        register_parameter("log_sigma_" + std::to_string(m),
                           torch::full({options.per_size()}, std::log(options.sigma()))));
  }
}

std::vector<torch::Tensor> RbfS2Impl::forward(const torch::Tensor& band) {
  auto energy = band.pow(2).sum(1, true);
  std::vector<torch::Tensor> out;
  for (std::size_t i = 0; i < prototypes_.size(); ++i) {
    const int64_t m = options.sizes()[i];
    const auto& p = prototypes_[i];
    const double elements = static_cast<double>(options.channels() * m * m);
    // ||X - P||^2 = ||X||^2 - 2 X.P + ||P||^2, all positions at once.
    auto cross = F::conv2d(band, p, F::Conv2dFuncOptions().padding(m / 2));
    auto x2 = F::avg_pool2d(energy, F::AvgPool2dFuncOptions(m).stride(1).padding(m / 2)) *
              static_cast<double>(m * m);
    auto p2 = p.pow(2).sum({1, 2, 3}).view({1, -1, 1, 1});
    auto d2 = (x2 - 2.0 * cross + p2).clamp_min(0.0) / elements;
    auto two_sigma2 = (2.0 * log_sigma_[i]).exp().view({1, -1, 1, 1}) * 2.0;
    out.push_back(torch::exp(-d2 / two_sigma2));
  }
  return out;
}

}  // namespace ventral::hmax
