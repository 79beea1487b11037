#include "hmax/hmax_bp.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/nn/functional/pooling.h>

#include <algorithm>

#include "common/error.h"
#include "models/model_options.h"

namespace ventral::hmax {
namespace {

namespace F = torch::nn::functional;

}  // namespace

HmaxBpOptions hmax_bp_preset(int input_size) {
  HmaxBpOptions o;
  if (input_size < models::kSmallImageSide) o.s1_sizes({7, 9, 11, 13}).c1_pool(4).s2_sizes({4});
  return o;
}

HmaxBpOptions read_hmax_bp_options(models::ModelOptionReader& read) {
  const HmaxBpOptions d = hmax_bp_preset(read.get_input_size());
  HmaxBpOptions o = d;
  o.in_chans(read.get_int("in_chans", d.in_chans(), 1));
  o.num_classes(read.get_int("num_classes", d.num_classes(), 1));
  o.s1_sizes(read.get_ints("s1_sizes", d.s1_sizes()));
  o.c1_pool(read.get_int("c1_pool", d.c1_pool(), 1));
  o.s2_sizes(read.get_ints("s2_sizes", d.s2_sizes()));
  o.prototypes(read.get_int("prototypes", d.prototypes(), 1));
  o.s2_sigma(read.get_double("s2_sigma", d.s2_sigma(), 1e-6, 1e6));
  return o;
}

HmaxBpImpl::HmaxBpImpl(HmaxBpOptions opts) : options(std::move(opts)) {
  s1_ = register_module(
      "s1", TrainableS1(TrainableS1Options().in_chans(options.in_chans()).sizes(options.s1_sizes())));
  s2_ = register_module("s2", RbfS2(RbfS2Options()
                                        .channels(4)
                                        .sizes(options.s2_sizes())
                                        .per_size(options.prototypes())
                                        .sigma(options.s2_sigma())));
  const auto total = options.prototypes() * static_cast<int64_t>(options.s2_sizes().size());
  c2_norm_ = register_module("c2_norm",
                             torch::nn::BatchNorm1d(torch::nn::BatchNormOptions(total).affine(false)));
  head_ = register_module("head", torch::nn::Linear(total, options.num_classes()));
}

std::vector<std::string> HmaxBpImpl::layer_names() const {
  std::vector<std::string> names = {"s1", "c1", "s2"};
  for (int m : options.s2_sizes()) names.push_back(fmt::format("s2/{}", m));
  names.push_back("c2");
  names.push_back("logits");
  for (std::size_t i = 0; i < options.s1_sizes().size(); ++i) names.push_back(fmt::format("s1/{}", i));
  for (int b = 0; b < bands(); ++b) names.push_back(fmt::format("c1/{}", b));
  for (int m : options.s2_sizes()) {
    for (int b = 0; b < bands(); ++b) names.push_back(fmt::format("s2/{}/{}", m, b));
  }
  return names;
}

torch::Tensor HmaxBpImpl::run(const torch::Tensor& images, models::ForwardPass& pass) {
  auto s1 = s1_->forward(images);
  pass.keep_group("s1", s1);
  const auto& sizes = options.s2_sizes();
  std::vector<torch::Tensor> c2_parts(sizes.size());
  for (int b = 0; b < bands(); ++b) {
    auto pair = s1[2 * b];
    if (static_cast<std::size_t>(2 * b + 1) < s1.size()) pair = torch::maximum(pair, s1[2 * b + 1]);
    const int64_t pool = options.c1_pool() + 2 * b;
    auto c1 = F::max_pool2d(
        pair, F::MaxPool2dFuncOptions(pool).stride(std::max<int64_t>(1, pool / 2)).padding(pool / 2));
    pass.keep(fmt::format("c1/{}", b), c1);
    auto s2 = s2_->forward(c1);
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      pass.keep(fmt::format("s2/{}/{}", sizes[k], b), s2[k]);
      auto best = s2[k].amax({2, 3});
      c2_parts[k] = c2_parts[k].defined() ? torch::maximum(c2_parts[k], best) : best;
    }
  }
  auto c2 = torch::cat(c2_parts, 1);
  pass.keep("c2", c2);
  auto logits = head_->forward(c2_norm_->forward(c2));
  pass.keep("logits", logits);
  return logits;
}

}  // namespace ventral::hmax
