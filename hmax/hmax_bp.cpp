#include "hmax/hmax_bp.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/nn/functional/pooling.h>

#include <algorithm>

#include "common/error.h"
#include "hmax/model_options.h"

namespace ventral::hmax {
namespace {

namespace F = torch::nn::functional;

bool wanted(const std::vector<std::string>& keep, const std::string& name) {
  return std::find(keep.begin(), keep.end(), name) != keep.end();
}

}  // namespace

HmaxBpOptions hmax_bp_options(const std::map<std::string, std::string>& given,
                              std::map<std::string, std::string>& resolved) {
  ModelOptionReader read("hmax-bp", given);
  HmaxBpOptions o;
  const bool small = read.get_int("input_size", 224, 8) < 96;
  o.in_chans(read.get_int("in_chans", 1, 1));
  o.num_classes(read.get_int("num_classes", 1000, 1));
  o.s1_sizes(read.get_ints("s1_sizes", small ? std::vector<int>{7, 9, 11, 13}
                                             : std::vector<int>{7, 9, 11, 13, 15, 17, 19, 21, 23, 25,
                                                                27, 29, 31, 33, 35, 37}));
  o.c1_pool(read.get_int("c1_pool", small ? 4 : 8, 1));
  o.s2_sizes(read.get_ints("s2_sizes", small ? std::vector<int>{4} : std::vector<int>{4, 8, 12, 16}));
  o.prototypes(read.get_int("prototypes", 64, 1));
  o.s2_sigma(read.get_double("s2_sigma", 0.2, 1e-6, 1e6));
  read.reject_unknown();
  resolved = read.resolved();
  return o;
}

HmaxBpImpl::HmaxBpImpl(HmaxBpOptions opts) : options(std::move(opts)) {
  s1_ = register_module("s1", TrainableS1(TrainableS1Options()
                                               .in_chans(options.in_chans())
                                               .sizes(options.s1_sizes())));
  s2_ = register_module("s2", RbfS2(RbfS2Options()
                                         .channels(4)
                                         .sizes(options.s2_sizes())
                                         .per_size(options.prototypes())
                                         .sigma(options.s2_sigma())));
  const auto total = options.prototypes() * static_cast<int64_t>(options.s2_sizes().size());
  c2_norm_ = register_module("c2_norm", torch::nn::BatchNorm1d(torch::nn::BatchNormOptions(total).affine(false)));
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

torch::Tensor HmaxBpImpl::run(const torch::Tensor& images, const std::vector<std::string>& keep,
                              std::map<std::string, torch::Tensor>& out) {
  if (images.dim() != 4 || images.size(1) != options.in_chans()) {
    fail("hmax-bp: expected images (N, {}, H, W), got {}", options.in_chans(),
         fmt::format("{}", fmt::join(images.sizes(), " x ")));
  }
  auto s1 = s1_->forward(images);
  for (std::size_t i = 0; i < s1.size(); ++i) {
    if (auto name = fmt::format("s1/{}", i); wanted(keep, name)) out[name] = s1[i];
  }
  const auto& sizes = options.s2_sizes();
  std::vector<torch::Tensor> c2_parts(sizes.size());
  for (int b = 0; b < bands(); ++b) {
    auto pair = s1[2 * b];
    if (static_cast<std::size_t>(2 * b + 1) < s1.size()) pair = torch::maximum(pair, s1[2 * b + 1]);
    const int64_t pool = options.c1_pool() + 2 * b;
    auto c1 = F::max_pool2d(pair, F::MaxPool2dFuncOptions(pool)
                                      .stride(std::max<int64_t>(1, pool / 2))
                                      .padding(pool / 2));
    if (auto name = fmt::format("c1/{}", b); wanted(keep, name)) out[name] = c1;
    auto s2 = s2_->forward(c1);
    for (std::size_t k = 0; k < sizes.size(); ++k) {
      if (auto name = fmt::format("s2/{}/{}", sizes[k], b); wanted(keep, name)) out[name] = s2[k];
      auto best = s2[k].amax({2, 3});
      c2_parts[k] = c2_parts[k].defined() ? torch::maximum(c2_parts[k], best) : best;
    }
  }
  auto c2 = torch::cat(c2_parts, 1);
  if (wanted(keep, "c2")) out["c2"] = c2;
  auto logits = head_->forward(c2_norm_->forward(c2));
  if (wanted(keep, "logits")) out["logits"] = logits;
  return logits;
}

torch::Tensor HmaxBpImpl::forward(torch::Tensor images) {
  std::map<std::string, torch::Tensor> unused;
  return run(images, {}, unused);
}

NamedTensors HmaxBpImpl::features(torch::Tensor images, const std::vector<std::string>& names) {
  const auto leaves = resolve_layers(names);
  std::map<std::string, torch::Tensor> out;
  run(images, leaves, out);
  NamedTensors result;
  for (const auto& leaf : leaves) result.emplace_back(leaf, out.at(leaf));
  return result;
}

}  // namespace ventral::hmax
