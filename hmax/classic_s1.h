// S1 of classic HMAX (docs/reference/hmax_classic.md): |image (*) Gabor| / local norm for
// 16 scales x 4 orientations, borders zeroed as maxlab does.
//
// The reference runs 16 full-resolution convolutions with kernels up to 37 x 37, plus 16
// more with ones-kernels for the norms. Here each image is transformed once per FFT grid
// (float64), each scale costs 4 inverse FFTs on the smallest fast grid that fits its
// kernel, and the norms come from one summed-area table of I^2 (exact in float64).
#pragma once

#include <torch/types.h>

#include <map>
#include <mutex>
#include <utility>

#include "hmax/box_filter.h"

namespace ventral::hmax {

/// Smallest n' >= n of the form 2^a 3^b: FFTW's fastest sizes (measured: a 288^2
/// transform runs in half the time of 270^2 = (2 3^3 5)^2).
int64_t fft_friendly_size(int64_t n);

/// The padded FFT grid for one scale: H + n - 1 by W + n - 1 (so that circular
/// convolution equals the zero-padded one), each rounded up to a fast size.
struct S1Grid {
  int64_t rows = 0;
  int64_t cols = 0;
  bool operator<(const S1Grid& o) const { return rows != o.rows ? rows < o.rows : cols < o.cols; }
  bool operator==(const S1Grid& o) const { return rows == o.rows && cols == o.cols; }
};
S1Grid classic_s1_grid(int64_t height, int64_t width, int scale);

/// Spectra of the 4 Gabor kernels of one scale on a grid, centred on the origin and
/// scaled by 1 / (rows * cols): (4, rows, cols/2+1) complex128.
torch::Tensor classic_gabor_spectra(const S1Grid& grid, int scale);

/// Kernel spectra computed once per (grid, scale) and shared by every batch; thread-safe.
class GaborSpectraCache {
 public:
  torch::Tensor get(const S1Grid& grid, int scale);

 private:
  std::mutex mutex_;
  std::map<std::pair<S1Grid, int>, torch::Tensor> spectra_;
};

class ClassicS1 {
 public:
  /// images: (N, 1, H, W) float, 0..255.
  ClassicS1(const torch::Tensor& images, GaborSpectraCache& cache);

  /// S1 of scale s (0..15): (N, 4, H, W) float32.
  torch::Tensor scale(int s);

 private:
  /// The images' spectra on a grid, (N, rows, cols/2+1) complex128, computed on first use.
  const torch::Tensor& image_spectra(const S1Grid& grid);
  /// 1 / local norm for scale s, 1 where the window is all zero: (N, H, W) float64.
  torch::Tensor inverse_norms(int s) const;

  torch::Tensor pixels_;  // (N, H, W) float64
  int64_t height_, width_;
  GaborSpectraCache& cache_;
  std::map<S1Grid, torch::Tensor> image_spectra_;
  IntegralImage squares_;  // summed-area table of I^2
};

}  // namespace ventral::hmax
