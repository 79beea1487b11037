// The stages of classic HMAX as pure tensor functions (docs/reference/hmax_classic.md).
// Inputs are batches: images (N, 1, H, W) float, pixel values 0..255.
//
// S1 uses one FFT of the image for all 64 Gabor filters and box sums for the local
// norms; C1 is computed one band at a time, so at most two S1 scales are alive.
#pragma once

#include <torch/types.h>

#include "hmax/box_filter.h"

#include <map>
#include <string>
#include <vector>

namespace ventral::hmax {

/// Number of classic C1 bands; band k pools scales 2k and 2k+1.
constexpr int kClassicBands = 8;

/// C1 pooling size of band k: 8 + 2k.
inline int c1_pool_size(int band) { return 8 + 2 * band; }

/// Rows (or columns) of C1 band k for an input of `extent` pixels: floor(extent / (p/2)) + 1.
int64_t c1_extent(int64_t extent, int band);

/// Smallest n' >= n of the form 2^a 3^b: FFTW's fastest sizes (measured: 288^2 runs in
/// half the time of 270^2 = (2 3^3 5)^2).
int64_t fft_friendly_size(int64_t n);

/// (N, 3, H, W) RGB in 0..255 to (N, 1, H, W) luma with PIL's integer formula;
/// (N, 1, H, W) is returned unchanged.
torch::Tensor classic_luma(const torch::Tensor& images);

/// The padded FFT grid for H x W images: room for the largest kernel (37) so that the
/// circular convolution equals the zero-padded one, rounded up to 2^a 3^b.
struct S1Grid {
  int64_t fft_height = 0;
  int64_t fft_width = 0;
  bool operator<(const S1Grid& o) const {
    return fft_height != o.fft_height ? fft_height < o.fft_height : fft_width < o.fft_width;
  }
};
S1Grid classic_s1_grid(int64_t height, int64_t width);

/// Spectra of all 64 classic Gabor kernels on a grid, each centred on the origin and
/// scaled by 1 / (fft_height * fft_width): (16, 4, fft_height, fft_width/2+1) complex64.
torch::Tensor classic_gabor_spectra(const S1Grid& grid);

/// The S1 engine: one FFT per image serves all 64 filters; the local norms come from one
/// summed-area table of I^2 (exact in float64).
class ClassicS1 {
 public:
  /// images: (N, 1, H, W) float, 0..255; spectra from classic_gabor_spectra for the grid.
  ClassicS1(const torch::Tensor& images, torch::Tensor spectra);

  /// S1 of scale s (0..15): (N, 4, H, W) float32, |conv| / local norm, borders zeroed.
  torch::Tensor scale(int s) const;

 private:
  /// 1 / local norm for scale s, 1 where the window is all zero: (N, H, W).
  torch::Tensor inverse_norms(int s) const;

  int64_t height_, width_;
  S1Grid grid_;
  torch::Tensor spectra_;     // (16, 4, Hf, Wf) complex64
  torch::Tensor spectrum_;    // (N, Hf, Wf) complex64
  IntegralImage squares_;     // summed-area table of I^2, float64
};

/// C1 of band k from the two S1 scales it pools: max over scales, max-pool with window p,
/// stride p/2, padding p/2, shifted up-left by one cell, last row and column zero.
torch::Tensor classic_c1_pool(const torch::Tensor& s1_a, const torch::Tensor& s1_b, int band);

enum class S2Activation { euclidean, gaussian };

/// S2 positions whose squared distance is below this fraction of (window energy + patch
/// energy) are recomputed exactly in float64 (see classic_s2).
constexpr double kS2RefineRatio = 0.05;

/// S2 of one C1 band against prototypes (P, 4, m, m): (N, P, Hb, Wb). Euclidean gives
/// sqrt(max(d2, 0)); gaussian gives exp(-d2 / (2 sigma^2)).
torch::Tensor classic_s2(const torch::Tensor& c1_band, const torch::Tensor& prototypes,
                         S2Activation activation, double sigma = 1.0);

/// C2 over all bands of one prototype size: (N, P), the min (euclidean) or max (gaussian)
/// over positions and bands.
torch::Tensor classic_c2(const std::vector<torch::Tensor>& s2_bands, S2Activation activation);

}  // namespace ventral::hmax
