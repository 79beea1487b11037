// S1 of classic HMAX (docs/reference/hmax_classic.md): |image (*) Gabor| / local norm for
// 16 scales x 4 orientations, borders zeroed as maxlab does.
//
// The reference runs 16 full-resolution convolutions with kernels up to 37 x 37, plus 16
// more with ones-kernels for the norms. Here each image is transformed once (float64),
// each scale costs 4 inverse FFTs on the same grid, and the norms come from one
// summed-area table of I^2 (exact in float64).
//
// One grid, no padding for the kernel: S1 keeps only outputs whose window lies inside the
// image (maxlab zeroes the rest), and there a circular convolution on any grid of at least
// H x W never wraps around, so it equals the zero-padded one. The grid is the image size
// rounded up to a size the FFT backend does fast (224 stays 224 on FFTW, 225 on
// pocketfft; 512 stays 512), instead of H + 36 for the largest kernel.
#pragma once

#include <torch/types.h>

#include <map>
#include <mutex>
#include <utility>

#include "hmax/box_filter.h"
#include "hmax/real_fft.h"

namespace ventral::hmax {

/// The FFT grid of all 16 scales: H x W, each rounded up to a fast size of the backend.
struct S1Grid {
  int64_t rows = 0;
  int64_t cols = 0;
  bool operator<(const S1Grid& o) const { return rows != o.rows ? rows < o.rows : cols < o.cols; }
  bool operator==(const S1Grid& o) const { return rows == o.rows && cols == o.cols; }
};
S1Grid classic_s1_grid(int64_t height, int64_t width, RealFftBackend backend = real_fft_backend());

/// Spectra of the 4 Gabor kernels of one scale on a grid, centred on the origin and
/// scaled by 1 / (rows * cols): (4, rows, cols/2+1) float64. Real: each kernel is
/// point-symmetric, so centred on the origin it is even and its spectrum has no imaginary
/// part (what the FFT returns there is round-off, dropped), which halves the product.
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
  /// images: (N, 1, H, W) float, 0..255. Uses the FFT backend selected at construction.
  ClassicS1(const torch::Tensor& images, GaborSpectraCache& cache);

  /// S1 of scale s (0..15): (N, 4, H, W) float32.
  torch::Tensor scale(int s);

 private:
  /// The images' spectra, (N, rows, cols/2+1) complex128, computed on first use.
  const torch::Tensor& image_spectra();
  /// 1 / local norm for scale s, 1 where the window is all zero: (N, H, W) float64.
  torch::Tensor inverse_norms(int s) const;

  torch::Tensor pixels_;  // (N, H, W) float64
  int64_t height_, width_;
  GaborSpectraCache& cache_;
  S1Grid grid_;
  RealFft2 fft_;
  torch::Tensor image_spectra_;
  IntegralImage squares_;  // summed-area table of I^2
};

}  // namespace ventral::hmax
