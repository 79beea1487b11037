#include "hmax/scale_pool.h"

#include <torch/nn/functional/pooling.h>
#include <torch/nn/functional/upsampling.h>

#include <cmath>

namespace ventral::hmax {

std::vector<std::pair<std::string, ScalePoolKind>> scale_pool_kind_names() {
  return {{"max", ScalePoolKind::max}, {"soft", ScalePoolKind::soft}};
}
namespace {

namespace F = torch::nn::functional;

torch::Tensor resize_to(const torch::Tensor& x, const torch::Tensor& like) {
  if (x.size(2) == like.size(2) && x.size(3) == like.size(3)) return x;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{like.size(2), like.size(3)})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

}  // namespace

ScalePoolImpl::ScalePoolImpl(ScalePoolOptions opts) : options(std::move(opts)) {
  // A buffer, not a parameter: the reference keeps the scoring projection frozen, and a
  // checkpoint must carry it so a reloaded model selects scales identically.
  score_weight_ = register_buffer("score_weight",
                                  torch::randn({options.channels()}) /
                                      std::sqrt(static_cast<double>(options.channels())));
}

std::vector<torch::Tensor> ScalePoolImpl::forward(const std::vector<torch::Tensor>& scales) {
  std::vector<torch::Tensor> pooled;
  pooled.reserve(scales.size());
  const auto kernel = options.kernel();
  for (const auto& s : scales) {
    // Padding lets a map smaller than the window still produce one cell.
    pooled.push_back(
        F::max_pool2d(s, F::MaxPool2dFuncOptions(kernel).stride(options.stride()).padding(kernel / 2)));
  }
  if (pooled.size() == 1) return pooled;
  std::vector<torch::Tensor> out;
  for (std::size_t i = 0; i + 1 < pooled.size(); ++i) {
    const auto& a = pooled[i];
    const auto b = resize_to(pooled[i + 1], a);
    if (options.kind() == ScalePoolKind::max) {
      out.push_back(torch::maximum(a, b));
    } else {
      auto score_a = a.mean({2, 3}).matmul(score_weight_);
      auto score_b = b.mean({2, 3}).matmul(score_weight_);
      auto weights = torch::softmax(torch::stack({score_a, score_b}, 1), 1);  // (N, 2)
      out.push_back(a * weights.select(1, 0).view({-1, 1, 1, 1}) +
                    b * weights.select(1, 1).view({-1, 1, 1, 1}));
    }
  }
  return out;
}

torch::Tensor global_scale_pool(const std::vector<torch::Tensor>& scales, bool spatial_max) {
  torch::Tensor result;
  for (const auto& s : scales) {
    auto g = spatial_max ? s.amax({2, 3}) : s.mean({2, 3});
    result = result.defined() ? torch::maximum(result, g) : g;
  }
  return result;
}

}  // namespace ventral::hmax
