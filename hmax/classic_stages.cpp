#include "hmax/classic_stages.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <complex>
#include <vector>

#include "hmax/box_filter.h"
#include "hmax/gabor_bank.h"
#include "hmax/real_fft.h"

namespace ventral::hmax {

namespace F = torch::nn::functional;

int64_t c1_extent(int64_t extent, int band) {
  const int64_t half = c1_pool_size(band) / 2;
  return extent / half + 1;
}

int64_t fft_friendly_size(int64_t n) {
  for (int64_t candidate = std::max<int64_t>(n, 1);; ++candidate) {
    int64_t rest = candidate;
    for (int64_t f : {2, 3}) {
      while (rest % f == 0) rest /= f;
    }
    if (rest == 1) return candidate;
  }
}

torch::Tensor classic_luma(const torch::Tensor& images) {
  TORCH_CHECK(images.dim() == 4, "expected images (N, C, H, W), got ", images.sizes());
  if (images.size(1) == 1) return images;
  TORCH_CHECK(images.size(1) == 3, "expected 1 or 3 channels, got ", images.size(1));
  auto rgb = images.to(torch::kFloat64).round();
  auto weighted = rgb.select(1, 0) * 19595 + rgb.select(1, 1) * 38470 + rgb.select(1, 2) * 7471 + 32768;
  return torch::floor(weighted / 65536).unsqueeze(1).to(images.scalar_type());
}

S1Grid classic_s1_grid(int64_t height, int64_t width) {
  const int64_t largest = 7 + 2 * (kClassicScales - 1);
  return {fft_friendly_size(height + largest - 1), fft_friendly_size(width + largest - 1)};
}

namespace {

// Per-thread scratch for the FFT loops: reused across calls, so the hot loop neither
// allocates nor page-faults.
struct FftScratch {
  FftBuffer<std::complex<float>> spectrum;
  FftBuffer<float> real;
};

FftScratch& fft_scratch(int64_t bins, int64_t reals) {
  thread_local FftScratch scratch;
  scratch.spectrum.resize(static_cast<std::size_t>(bins));
  scratch.real.resize(static_cast<std::size_t>(reals));
  return scratch;
}

}  // namespace

torch::Tensor classic_gabor_spectra(const S1Grid& grid) {
  const int64_t rows = grid.fft_height, cols = grid.fft_width;
  const RealFft2 fft(rows, cols);
  auto spectra = torch::empty({kClassicScales, 4, rows, cols / 2 + 1}, torch::kComplexFloat);
  auto* out = reinterpret_cast<std::complex<float>*>(spectra.data_ptr());
  // The inverse transforms are unnormalised, so the 1 / (rows * cols) goes in here.
  const float scale = 1.0f / static_cast<float>(rows * cols);
  at::parallel_for(0, kClassicScales, 1, [&](int64_t begin, int64_t end) {
    FftScratch& scratch = fft_scratch(fft.bins(), rows * cols);
    for (int64_t s = begin; s < end; ++s) {
      const auto bank = classic_gabor_scale(static_cast<int>(s));
      const int64_t n = 7 + 2 * s, half = n / 2;
      for (int64_t o = 0; o < 4; ++o) {
        // Centre the kernel on the grid origin (wrapping around). The kernels are
        // point-symmetric, so this convolution equals the correlation of the reference.
        std::fill(scratch.real.data(), scratch.real.data() + rows * cols, 0.0f);
        for (int64_t r = 0; r < n; ++r) {
          for (int64_t c = 0; c < n; ++c) {
            const int64_t rr = (r - half + rows) % rows, cc = (c - half + cols) % cols;
            scratch.real[rr * cols + cc] = static_cast<float>(bank[(o * n + r) * n + c]) * scale;
          }
        }
        fft.forward(scratch.real.data(), scratch.spectrum.data());
        std::copy_n(scratch.spectrum.data(), fft.bins(), out + (s * 4 + o) * fft.bins());
      }
    }
  });
  return spectra;
}

ClassicS1::ClassicS1(const torch::Tensor& images, torch::Tensor spectra)
    : height_(images.size(2)),
      width_(images.size(3)),
      spectra_(std::move(spectra)),
      // I^2 of 8-bit pixels summed over any window is an integer below 2^53: exact in float64.
      squares_(images.to(torch::kFloat64).pow(2), 7 + kClassicScales - 1) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 1, "ClassicS1 expects (N, 1, H, W), got ",
              images.sizes());
  grid_ = classic_s1_grid(height_, width_);
  const int64_t rows = grid_.fft_height, cols = grid_.fft_width;
  TORCH_CHECK(spectra_.size(2) == rows && spectra_.size(3) == cols / 2 + 1,
              "Gabor spectra were made for another grid");
  const RealFft2 fft(rows, cols);
  const int64_t batch = images.size(0);
  auto pixels = images.to(torch::kFloat32).contiguous();
  spectrum_ = torch::empty({batch, rows, cols / 2 + 1}, torch::kComplexFloat);
  const float* in = pixels.data_ptr<float>();
  auto* out = reinterpret_cast<std::complex<float>*>(spectrum_.data_ptr());
  at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
    FftScratch& scratch = fft_scratch(fft.bins(), rows * cols);
    for (int64_t i = begin; i < end; ++i) {
      std::fill(scratch.real.data(), scratch.real.data() + rows * cols, 0.0f);
      for (int64_t y = 0; y < height_; ++y) {
        std::copy_n(in + (i * height_ + y) * width_, width_, scratch.real.data() + y * cols);
      }
      fft.forward(scratch.real.data(), scratch.spectrum.data());
      std::copy_n(scratch.spectrum.data(), fft.bins(), out + i * fft.bins());
    }
  });
}

torch::Tensor ClassicS1::inverse_norms(int s) const {
  const int64_t half = (7 + 2 * s) / 2;
  const torch::Tensor& table = squares_.table();
  const int64_t batch = table.size(0), t_rows = table.size(-2), t_cols = table.size(-1);
  const int64_t margin = squares_.margin();
  auto out = torch::empty({batch, height_, width_}, torch::kFloat32);
  const double* t = table.data_ptr<double>();
  float* dst = out.data_ptr<float>();
  at::parallel_for(0, batch * height_, 64, [&](int64_t begin, int64_t end) {
    for (int64_t iy = begin; iy < end; ++iy) {
      const int64_t i = iy / height_, y = iy % height_;
      // Window rows y-half..y+half are table rows y+margin-half .. y+margin+half+1.
      const double* top = t + (i * t_rows + y + margin - half) * t_cols;
      const double* bottom = t + (i * t_rows + y + margin + half + 1) * t_cols;
      float* row = dst + iy * width_;
      for (int64_t x = 0; x < width_; ++x) {
        const int64_t left = x + margin - half, right = x + margin + half + 1;
        const double energy = bottom[right] - bottom[left] - top[right] + top[left];
        row[x] = energy > 0.0 ? static_cast<float>(1.0 / std::sqrt(energy)) : 1.0f;
      }
    }
  });
  return out;
}

torch::Tensor ClassicS1::scale(int s) const {
  const int64_t n = 7 + 2 * s;
  const int64_t batch = spectrum_.size(0);
  const int64_t rows = grid_.fft_height, cols = grid_.fft_width;
  const RealFft2 fft(rows, cols);
  const int64_t bins = fft.bins();
  const auto inv_norm = inverse_norms(s);
  auto response = torch::empty({batch, 4, height_, width_}, torch::kFloat32);
  const auto* kernel_bins = reinterpret_cast<const std::complex<float>*>(spectra_[s].data_ptr());
  const auto* image_bins = reinterpret_cast<const std::complex<float>*>(spectrum_.data_ptr());
  const float* inv = inv_norm.data_ptr<float>();
  float* out = response.data_ptr<float>();
  // maxlab zeroes the border where the filter does not fit: rows and columns < a, >= H - b.
  const int64_t a = (n + 1) / 2, b = (n - 1) / 2;
  const int64_t y_end = std::max<int64_t>(a, height_ - b), x_end = std::max<int64_t>(a, width_ - b);
  // One pass per (image, orientation): spectral product, inverse FFT, then
  // |response| / norm with the border zeroed, without temporaries.
  at::parallel_for(0, batch * 4, 1, [&](int64_t begin, int64_t end) {
    FftScratch& scratch = fft_scratch(bins, rows * cols);
    for (int64_t i = begin; i < end; ++i) {
      const std::complex<float>* x = image_bins + (i / 4) * bins;
      const std::complex<float>* k = kernel_bins + (i % 4) * bins;
      for (int64_t j = 0; j < bins; ++j) scratch.spectrum[j] = x[j] * k[j];
      fft.inverse(scratch.spectrum.data(), scratch.real.data());
      float* dst = out + i * height_ * width_;
      const float* inv_image = inv + (i / 4) * height_ * width_;
      std::fill(dst, dst + height_ * width_, 0.0f);
      for (int64_t y = a; y < y_end; ++y) {
        const float* row = scratch.real.data() + y * cols;
        const float* inv_row = inv_image + y * width_;
        float* dst_row = dst + y * width_;
        for (int64_t x0 = a; x0 < x_end; ++x0) dst_row[x0] = std::abs(row[x0]) * inv_row[x0];
      }
    }
  });
  return response;
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
