#include "hmax/classic_s1.h"

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <complex>

#include "hmax/gabor_bank.h"

namespace ventral::hmax {
namespace {

using Complex = std::complex<double>;

// Per-thread scratch for the FFT loops, aligned and reused across calls, so the hot loop
// neither allocates nor page-faults.
struct FftScratch {
  FftBuffer<Complex> spectrum;
  FftBuffer<double> real;
};

FftScratch& fft_scratch(int64_t bins, int64_t reals) {
  thread_local FftScratch scratch;
  scratch.spectrum.resize(static_cast<std::size_t>(bins));
  scratch.real.resize(static_cast<std::size_t>(reals));
  return scratch;
}

int64_t kernel_size(int scale) { return 7 + 2 * scale; }

}  // namespace

S1Grid classic_s1_grid(int64_t height, int64_t width, RealFftBackend backend) {
  return {RealFft2::fast_size(height, backend), RealFft2::fast_size(width, backend)};
}

torch::Tensor classic_gabor_spectra(const S1Grid& grid, int scale) {
  const RealFft2 fft(grid.rows, grid.cols);
  const auto bank = classic_gabor_scale(scale);
  const int64_t n = kernel_size(scale), half = n / 2, reals = grid.rows * grid.cols;
  // The inverse transforms are unnormalised, so the 1 / (rows * cols) goes in here.
  const double norm = 1.0 / static_cast<double>(reals);
  FftBuffer<double> kernels(static_cast<std::size_t>(4 * reals));
  FftBuffer<Complex> spectra(static_cast<std::size_t>(4 * fft.bins()));
  std::fill(kernels.data(), kernels.data() + 4 * reals, 0.0);
  for (int64_t o = 0; o < 4; ++o) {
    // Centre the kernel on the grid origin, wrapping around. The kernels are
    // point-symmetric, so this convolution equals the reference's correlation.
    for (int64_t r = 0; r < n; ++r) {
      for (int64_t c = 0; c < n; ++c) {
        const int64_t rr = (r - half + grid.rows) % grid.rows, cc = (c - half + grid.cols) % grid.cols;
        kernels[o * reals + rr * grid.cols + cc] = bank[(o * n + r) * n + c] * norm;
      }
    }
  }
  fft.forward(kernels.data(), spectra.data(), 4);
  auto out = torch::empty({4, grid.rows, grid.cols / 2 + 1}, torch::kFloat64);
  double* dst = out.data_ptr<double>();
  for (int64_t j = 0; j < 4 * fft.bins(); ++j) dst[j] = spectra[j].real();
  return out;
}

torch::Tensor GaborSpectraCache::get(const S1Grid& grid, int scale) {
  std::lock_guard<std::mutex> lock(mutex_);
  auto key = std::make_pair(grid, scale);
  auto it = spectra_.find(key);
  if (it != spectra_.end()) return it->second;
  // A handful of image sizes in practice; start over rather than grow without bound.
  if (spectra_.size() >= 64) spectra_.clear();
  return spectra_[key] = classic_gabor_spectra(grid, scale);
}

ClassicS1::ClassicS1(const torch::Tensor& images, GaborSpectraCache& cache)
    : pixels_(images.to(torch::kFloat64)
                  .reshape({images.size(0), images.size(2), images.size(3)})
                  .contiguous()),
      height_(images.size(2)),
      width_(images.size(3)),
      cache_(cache),
      grid_(classic_s1_grid(height_, width_)),
      fft_(grid_.rows, grid_.cols),
      // I^2 of 8-bit pixels summed over any window is an integer below 2^53: exact.
      squares_(pixels_.pow(2), kernel_size(15) / 2) {
  TORCH_CHECK(images.dim() == 4 && images.size(1) == 1, "ClassicS1 expects (N, 1, H, W), got ",
              images.sizes());
}

const torch::Tensor& ClassicS1::image_spectra() {
  if (image_spectra_.defined()) return image_spectra_;
  const int64_t batch = pixels_.size(0), reals = grid_.rows * grid_.cols, bins = fft_.bins();
  image_spectra_ = torch::empty({batch, grid_.rows, grid_.cols / 2 + 1}, torch::kComplexDouble);
  const double* in = pixels_.data_ptr<double>();
  auto* out = reinterpret_cast<Complex*>(image_spectra_.data_ptr());
  at::parallel_for(0, batch, 1, [&](int64_t begin, int64_t end) {
    FftScratch& scratch = fft_scratch(bins, reals);
    for (int64_t i = begin; i < end; ++i) {
      // Zero-pad to the grid (nothing to pad where the image size is already fast).
      std::fill(scratch.real.data(), scratch.real.data() + reals, 0.0);
      for (int64_t y = 0; y < height_; ++y) {
        std::copy_n(in + (i * height_ + y) * width_, width_, scratch.real.data() + y * grid_.cols);
      }
      fft_.forward(scratch.real.data(), scratch.spectrum.data());
      std::copy_n(scratch.spectrum.data(), bins, out + i * bins);
    }
  });
  return image_spectra_;
}

torch::Tensor ClassicS1::inverse_norms(int s) const {
  const int64_t half = kernel_size(s) / 2;
  const torch::Tensor& table = squares_.table();
  const int64_t batch = table.size(0), t_rows = table.size(-2), t_cols = table.size(-1);
  const int64_t margin = squares_.margin();
  auto out = torch::empty({batch, height_, width_}, torch::kFloat64);
  const double* t = table.data_ptr<double>();
  double* dst = out.data_ptr<double>();
  at::parallel_for(0, batch * height_, 64, [&](int64_t begin, int64_t end) {
    for (int64_t iy = begin; iy < end; ++iy) {
      const int64_t i = iy / height_, y = iy % height_;
      // Window rows y-half..y+half are table rows y+margin-half .. y+margin+half+1.
      const double* top = t + (i * t_rows + y + margin - half) * t_cols;
      const double* bottom = t + (i * t_rows + y + margin + half + 1) * t_cols;
      double* row = dst + iy * width_;
      for (int64_t x = 0; x < width_; ++x) {
        const int64_t left = x + margin - half, right = x + margin + half + 1;
        const double energy = bottom[right] - bottom[left] - top[right] + top[left];
        row[x] = energy > 0.0 ? 1.0 / std::sqrt(energy) : 1.0;
      }
    }
  });
  return out;
}

torch::Tensor ClassicS1::scale(int s) {
  const int64_t n = kernel_size(s);
  const int64_t bins = fft_.bins(), reals = grid_.rows * grid_.cols, batch = pixels_.size(0);
  const auto kernels = cache_.get(grid_, s);
  const auto& images = image_spectra();
  const auto inv_norm = inverse_norms(s);
  auto response = torch::zeros({batch, 4, height_, width_}, torch::kFloat32);
  // maxlab zeroes the border where the filter does not fit: rows and columns < a, >= H - b.
  const int64_t a = (n + 1) / 2, b = (n - 1) / 2;
  const int64_t y_end = std::max<int64_t>(a, height_ - b), x_end = std::max<int64_t>(a, width_ - b);
  if (y_end == a || x_end == a) return response;
  const double* kernel_bins = kernels.data_ptr<double>();
  const auto* image_bins = reinterpret_cast<const Complex*>(images.data_ptr());
  const double* inv = inv_norm.data_ptr<double>();
  float* out = response.data_ptr<float>();
  // One pass per (image, orientation): spectral product, inverse FFT of the rows S1
  // keeps, then |response| / norm into the output, without temporaries. One transform
  // per backend call: measured on 224 px, LibTorch's pocketfft takes about 10x longer per
  // transform for a batch of 4 in one call than for 4 calls of one.
  at::parallel_for(0, batch * 4, 1, [&](int64_t begin, int64_t end) {
    FftScratch& scratch = fft_scratch(bins, fft_.backend() == RealFftBackend::fftw ? reals : 0);
    for (int64_t i = begin; i < end; ++i) {
      const Complex* x = image_bins + (i / 4) * bins;
      const double* k = kernel_bins + (i % 4) * bins;
      Complex* product = scratch.spectrum.data();
      // A real kernel spectrum: two multiplications per bin, written out, since
      // std::complex's operators go through __muldc3 for inf/NaN handling.
      for (int64_t j = 0; j < bins; ++j) product[j] = Complex(x[j].real() * k[j], x[j].imag() * k[j]);
      const RealRows rows = fft_.inverse(product, 1, a, y_end, scratch.real.data());
      const double* inv_image = inv + (i / 4) * height_ * width_;
      float* dst = out + i * height_ * width_;
      for (int64_t y = a; y < y_end; ++y) {
        const double* row = rows.data + (y - rows.first_row) * grid_.cols;
        const double* inv_row = inv_image + y * width_;
        float* dst_row = dst + y * width_;
        for (int64_t x0 = a; x0 < x_end; ++x0) {
          dst_row[x0] = static_cast<float>(std::abs(row[x0]) * inv_row[x0]);
        }
      }
    }
  });
  return response;
}

}  // namespace ventral::hmax
