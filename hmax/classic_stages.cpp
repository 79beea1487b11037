#include "hmax/classic_stages.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>


#include "hmax/box_filter.h"

namespace ventral::hmax {

namespace F = torch::nn::functional;

int64_t c1_extent(int64_t extent, int band) {
  const int64_t half = c1_pool_size(band) / 2;
  return extent / half + 1;
}

torch::Tensor classic_luma(const torch::Tensor& images) {
  TORCH_CHECK(images.dim() == 4, "expected images (N, C, H, W), got ", images.sizes());
  if (images.size(1) == 1) return images;
  TORCH_CHECK(images.size(1) == 3, "expected 1 or 3 channels, got ", images.size(1));
  auto rgb = images.to(torch::kFloat64).round();
  auto weighted = rgb.select(1, 0) * 19595 + rgb.select(1, 1) * 38470 + rgb.select(1, 2) * 7471 + 32768;
  return torch::floor(weighted / 65536).unsqueeze(1).to(images.scalar_type());
}

torch::Tensor classic_c1_pool(const torch::Tensor& s1_a, const torch::Tensor& s1_b, int band) {
  const int64_t p = c1_pool_size(band), h = p / 2;
  auto pooled = F::max_pool2d(torch::max(s1_a, s1_b),
                              F::MaxPool2dFuncOptions(p).stride(h).padding(h));
  auto c1 = torch::zeros_like(pooled);
  const int64_t rows = pooled.size(2), cols = pooled.size(3);
  if (rows > 1 && cols > 1) {
    c1.narrow(2, 0, rows - 1).narrow(3, 0, cols - 1)
        .copy_(pooled.narrow(2, 1, rows - 1).narrow(3, 1, cols - 1));
  }
  return c1;
}

namespace {

// Recomputes d2 = sum (C1 - w)^2 directly, in float64, at the listed positions
// (n, p, y, x) rows of `where`. No cancellation: exact where the expansion is not.
void recompute_exact_d2(const torch::Tensor& c1_band, const torch::Tensor& prototypes,
                        const torch::Tensor& where, torch::Tensor& d2) {
  const int64_t m = prototypes.size(2), rows = c1_band.size(2), cols = c1_band.size(3);
  const int64_t orientations = c1_band.size(1);
  auto c1 = c1_band.contiguous();
  auto w = prototypes.contiguous();
  auto c1_a = c1.accessor<float, 4>();
  auto w_a = w.accessor<float, 4>();
  auto where_a = where.accessor<int64_t, 2>();
  auto d2_a = d2.accessor<double, 4>();
  at::parallel_for(0, where.size(0), 64, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      const int64_t n = where_a[i][0], p = where_a[i][1], y = where_a[i][2], x = where_a[i][3];
      double sum = 0.0;
      for (int64_t o = 0; o < orientations; ++o) {
        for (int64_t r = 0; r < m; ++r) {
          const int64_t yy = y + 1 - m / 2 + r;
          for (int64_t c = 0; c < m; ++c) {
            const int64_t xx = x + 1 - m / 2 + c;
            const bool inside = yy >= 0 && yy < rows && xx >= 0 && xx < cols;
            const double diff = (inside ? c1_a[n][o][yy][xx] : 0.0f) - static_cast<double>(w_a[p][o][r][c]);
            sum += diff * diff;
          }
        }
      }
      d2_a[n][p][y][x] = sum;
    }
  });
}

}  // namespace

torch::Tensor classic_s2(const torch::Tensor& c1_band, const torch::Tensor& prototypes,
                         S2Activation activation, double sigma) {
  TORCH_CHECK(prototypes.dim() == 4 && prototypes.size(1) == c1_band.size(1) &&
                  prototypes.size(2) == prototypes.size(3) && prototypes.size(2) % 2 == 0,
              "prototypes must be (P, ", c1_band.size(1), ", m, m) with even m, got ",
              prototypes.sizes());
  const int64_t m = prototypes.size(2), rows = c1_band.size(2), cols = c1_band.size(3);
  // Window rows y+1-m/2 .. y+m/2: a correlation padded by m/2 with its first row and
  // column dropped.
  auto dot = F::conv2d(c1_band, prototypes, F::Conv2dFuncOptions().padding(m / 2))
                 .narrow(2, 1, rows)
                 .narrow(3, 1, cols)
                 .to(torch::kFloat64);
  auto c1_squares = c1_band.to(torch::kFloat64).pow(2).sum(1, /*keepdim=*/true);
  auto window_squares = box_sum_2d(c1_squares, m / 2 - 1, m / 2);
  auto patch_squares = prototypes.to(torch::kFloat64).pow(2).sum({1, 2, 3}).view({1, -1, 1, 1});
  auto magnitude = window_squares + patch_squares;
  auto d2 = magnitude - 2.0 * dot;
  // d2 is a difference of large sums: where it is small against them (a close match)
  // the float32 dot product's round-off dominates, and sqrt magnifies it (a perfect
  // match would read ~1e-3). Those few positions are recomputed exactly.
  auto close = (d2 < kS2RefineRatio * magnitude).nonzero();
  if (close.size(0) > 0) recompute_exact_d2(c1_band, prototypes, close, d2);
  if (activation == S2Activation::euclidean) return d2.clamp_min_(0.0).sqrt_().to(torch::kFloat32);
  return torch::exp(-d2 / (2.0 * sigma * sigma)).to(torch::kFloat32);
}

torch::Tensor classic_c2(const std::vector<torch::Tensor>& s2_bands, S2Activation activation) {
  TORCH_CHECK(!s2_bands.empty(), "classic_c2 needs at least one S2 band");
  std::vector<torch::Tensor> per_band;
  for (const auto& s2 : s2_bands) {
    auto flat = s2.flatten(2);
    per_band.push_back(activation == S2Activation::euclidean ? std::get<0>(flat.min(2))
                                                              : std::get<0>(flat.max(2)));
  }
  auto stacked = torch::stack(per_band, 0);
  return activation == S2Activation::euclidean ? std::get<0>(stacked.min(0))
                                               : std::get<0>(stacked.max(0));
}

}  // namespace ventral::hmax
