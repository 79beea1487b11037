#include "tests/oracles/hmax_classic_reference.h"

#include <torch/torch.h>

#include "hmax/gabor_bank.h"

namespace ventral::oracles {

namespace F = torch::nn::functional;

namespace {

torch::Tensor reference_s1(const torch::Tensor& images, int scale) {
  const int64_t n = 7 + 2 * scale;
  auto bank = hmax::classic_gabor_scale(scale);
  auto weight = torch::from_blob(bank.data(), {4, 1, n, n}, torch::kFloat64).to(torch::kFloat32);
  auto response = F::conv2d(images, weight, F::Conv2dFuncOptions().padding(n / 2)).abs();
  auto ones = torch::ones({1, 1, n, n}, torch::kFloat32);
  auto norm = F::conv2d(images * images, ones, F::Conv2dFuncOptions().padding(n / 2)).sqrt();
  norm.masked_fill_(norm == 0, 1.0f);
  auto s1 = response / norm;
  const int64_t a = (n + 1) / 2, b = (n - 1) / 2, h = s1.size(2), w = s1.size(3);
  s1.narrow(2, 0, a).zero_();
  s1.narrow(3, 0, a).zero_();
  s1.narrow(2, h - b, b).zero_();
  s1.narrow(3, w - b, b).zero_();
  return s1;
}

torch::Tensor reference_c1(const torch::Tensor& a, const torch::Tensor& b, int band) {
  const int64_t p = 8 + 2 * band;
  auto pooled = F::max_pool2d(torch::max(a, b), F::MaxPool2dFuncOptions(p).stride(p / 2).padding(p / 2));
  // MATLAB compatibility: shift up-left by one cell, zero the vacated last row/column.
  auto shifted = torch::roll(pooled, {-1, -1}, {2, 3});
  shifted.select(2, shifted.size(2) - 1).zero_();
  shifted.select(3, shifted.size(3) - 1).zero_();
  return shifted;
}

torch::Tensor reference_s2(const torch::Tensor& c1, const torch::Tensor& patches) {
  const int64_t m = patches.size(2);
  auto dot = F::conv2d(c1, patches, F::Conv2dFuncOptions().padding(m / 2));
  auto ones = torch::ones({1, 1, m, m}, torch::kFloat32);
  auto c1_sq = F::conv2d((c1 * c1).sum(1, true), ones, F::Conv2dFuncOptions().padding(m / 2));
  auto d2 = c1_sq - 2 * dot + (patches * patches).sum({1, 2, 3}).view({1, -1, 1, 1});
  return d2.clamp_min(0).sqrt().narrow(2, 1, c1.size(2)).narrow(3, 1, c1.size(3));
}

}  // namespace

ReferenceHmaxOutput reference_hmax(const torch::Tensor& images,
                                   const std::vector<torch::Tensor>& prototypes, bool keep_s1) {
  torch::NoGradGuard no_grad;
  ReferenceHmaxOutput out;
  std::vector<torch::Tensor> s1;
  for (int s = 0; s < hmax::kClassicScales; ++s) s1.push_back(reference_s1(images, s));
  for (int k = 0; k < 8; ++k) out.c1.push_back(reference_c1(s1[2 * k], s1[2 * k + 1], k));
  if (keep_s1) out.s1 = s1;
  std::vector<torch::Tensor> c2;
  for (const auto& patches : prototypes) {
    std::vector<torch::Tensor> per_band;
    for (const auto& band : out.c1)
      per_band.push_back(std::get<0>(reference_s2(band, patches).flatten(2).min(2)));
    c2.push_back(std::get<0>(torch::stack(per_band).min(0)));
  }
  if (!c2.empty()) out.c2 = torch::cat(c2, 1);
  return out;
}

}  // namespace ventral::oracles
