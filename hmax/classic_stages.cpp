#include "hmax/classic_stages.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "hmax/box_filter.h"

namespace ventral::hmax {

std::vector<std::pair<std::string, S2Activation>> s2_activation_names() {
  return {{"euclidean", S2Activation::euclidean}, {"gaussian", S2Activation::gaussian}};
}

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

namespace {

// Max over the 1-D windows [i*step - step, i*step - step + size) of `in` (positions
// outside [0, length) ignored), for `outputs` windows; in and out strided.
void window_max_1d(const float* in, int64_t length, int64_t in_stride, float* out, int64_t outputs,
                   int64_t out_stride, int64_t size, int64_t step) {
  for (int64_t i = 0; i < outputs; ++i) {
    const int64_t begin = std::max<int64_t>(i * step - step, 0);
    const int64_t end = std::min<int64_t>(i * step - step + size, length);
    float best = -std::numeric_limits<float>::infinity();
    for (int64_t j = begin; j < end; ++j) best = std::max(best, in[j * in_stride]);
    out[i * out_stride] = best;
  }
}

}  // namespace

torch::Tensor classic_c1_pool(const torch::Tensor& s1_a, const torch::Tensor& s1_b, int band) {
  const int64_t p = c1_pool_size(band), h = p / 2;
  auto merged = torch::max(s1_a, s1_b).contiguous();
  const int64_t planes = merged.size(0) * merged.size(1), rows = merged.size(2), cols = merged.size(3);
  const int64_t out_rows = rows / h + 1, out_cols = cols / h + 1;
  auto c1 = torch::zeros({merged.size(0), merged.size(1), out_rows, out_cols}, torch::kFloat32);
  const float* in = merged.data_ptr<float>();
  float* out = c1.data_ptr<float>();
  // A max over a p x p window is a max over rows of maxes over columns: 2p comparisons
  // per output instead of p^2. The pooled map P is written shifted up-left by one cell,
  // C1(y, x) = P(y + 1, x + 1), so the last row and column stay zero.
  at::parallel_for(0, planes, 1, [&](int64_t begin, int64_t end) {
    std::vector<float> column_max(static_cast<std::size_t>(rows * out_cols));
    std::vector<float> pooled(static_cast<std::size_t>(out_rows));
    for (int64_t plane = begin; plane < end; ++plane) {
      const float* m = in + plane * rows * cols;
      for (int64_t y = 0; y < rows; ++y) {
        window_max_1d(m + y * cols, cols, 1, column_max.data() + y * out_cols, out_cols, 1, p, h);
      }
      float* dst = out + plane * out_rows * out_cols;
      for (int64_t x = 1; x < out_cols; ++x) {
        window_max_1d(column_max.data() + x, rows, out_cols, pooled.data(), out_rows, 1, p, h);
        for (int64_t y = 1; y < out_rows; ++y) dst[(y - 1) * out_cols + (x - 1)] = pooled[y];
      }
    }
  });
  return c1;
}

namespace {

// d2 = sum (C1 - w)^2 over the window of (n, p) at (y, x), directly in float64: no
// cancellation, so exact where the expansion is not.
double exact_d2(const float* c1, const float* w, int64_t orientations, int64_t rows, int64_t cols,
                int64_t m, int64_t y, int64_t x) {
  double sum = 0.0;
  for (int64_t o = 0; o < orientations; ++o) {
    for (int64_t r = 0; r < m; ++r) {
      const int64_t yy = y + 1 - m / 2 + r;
      for (int64_t c = 0; c < m; ++c) {
        const int64_t xx = x + 1 - m / 2 + c;
        const bool inside = yy >= 0 && yy < rows && xx >= 0 && xx < cols;
        const double diff = (inside ? c1[(o * rows + yy) * cols + xx] : 0.0f) -
                            static_cast<double>(w[(o * m + r) * m + c]);
        sum += diff * diff;
      }
    }
  }
  return sum;
}

}  // namespace

torch::Tensor classic_s2(const torch::Tensor& c1_band, const torch::Tensor& prototypes,
                         S2Activation activation, double sigma) {
  TORCH_CHECK(prototypes.dim() == 4 && prototypes.size(1) == c1_band.size(1) &&
                  prototypes.size(2) == prototypes.size(3) && prototypes.size(2) % 2 == 0,
              "prototypes must be (P, ", c1_band.size(1), ", m, m) with even m, got ",
              prototypes.sizes());
  const int64_t m = prototypes.size(2), rows = c1_band.size(2), cols = c1_band.size(3);
  const int64_t batch = c1_band.size(0), count = prototypes.size(0), orientations = c1_band.size(1);
  // Window rows y+1-m/2 .. y+m/2: a correlation padded by m/2 with its first row and
  // column dropped.
  auto dot = F::conv2d(c1_band, prototypes, F::Conv2dFuncOptions().padding(m / 2))
                 .narrow(2, 1, rows)
                 .narrow(3, 1, cols)
                 .contiguous();
  auto c1 = c1_band.contiguous();
  auto weights = prototypes.contiguous();
  auto window_squares = box_sum_2d(c1.to(torch::kFloat64).pow(2).sum(1), m / 2 - 1, m / 2).contiguous();
  auto patch_squares = weights.to(torch::kFloat64).pow(2).sum({1, 2, 3}).contiguous();
  auto out = torch::empty({batch, count, rows, cols}, torch::kFloat32);
  const float* dot_p = dot.data_ptr<float>();
  const float* c1_p = c1.data_ptr<float>();
  const float* w_p = weights.data_ptr<float>();
  const double* ws_p = window_squares.data_ptr<double>();
  const double* ps_p = patch_squares.data_ptr<double>();
  float* out_p = out.data_ptr<float>();
  const double gauss = 1.0 / (2.0 * sigma * sigma);
  const int64_t plane = rows * cols;
  at::parallel_for(0, batch * count, 1, [&](int64_t begin, int64_t end) {
    for (int64_t np = begin; np < end; ++np) {
      const int64_t n = np / count, p = np % count;
      const double* ws = ws_p + n * plane;
      for (int64_t j = 0; j < plane; ++j) {
        const double magnitude = ws[j] + ps_p[p];
        double d2 = magnitude - 2.0 * static_cast<double>(dot_p[np * plane + j]);
        // d2 is a difference of large sums: for a close match the float32 dot product's
        // round-off dominates, and sqrt magnifies it (a perfect match would read ~1e-3).
        // Those few positions are recomputed exactly.
        if (d2 < kS2RefineRatio * magnitude) {
          d2 = exact_d2(c1_p + n * orientations * plane, w_p + p * orientations * m * m, orientations,
                        rows, cols, m, j / cols, j % cols);
        }
        out_p[np * plane + j] = static_cast<float>(activation == S2Activation::euclidean
                                                       ? std::sqrt(std::max(d2, 0.0))
                                                       : std::exp(-d2 * gauss));
      }
    }
  });
  return out;
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
