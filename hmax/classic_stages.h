// The C1, S2 and C2 stages of classic HMAX as pure tensor functions, and the input
// conversion (docs/reference/hmax_classic.md). S1 is in classic_s1.h.
#pragma once

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace ventral::hmax {

/// Number of classic C1 bands; band k pools scales 2k and 2k+1.
constexpr int kClassicBands = 8;

/// C1 pooling size of band k: 8 + 2k.
inline int c1_pool_size(int band) { return 8 + 2 * band; }

/// Rows (or columns) of C1 band k for an input of `extent` pixels: floor(extent / (p/2)) + 1.
int64_t c1_extent(int64_t extent, int band);

/// (N, 3, H, W) RGB in 0..255 to (N, 1, H, W) luma with PIL's integer formula;
/// (N, 1, H, W) is returned unchanged.
torch::Tensor classic_luma(const torch::Tensor& images);

/// C1 of band k from the two S1 scales it pools: max over scales, max-pool with window p,
/// stride p/2, padding p/2, shifted up-left by one cell, last row and column zero.
torch::Tensor classic_c1_pool(const torch::Tensor& s1_a, const torch::Tensor& s1_b, int band);

enum class S2Activation { euclidean, gaussian };
/// {"euclidean", S2Activation::euclidean}, {"gaussian", S2Activation::gaussian}: for option readers.
std::vector<std::pair<std::string, S2Activation>> s2_activation_names();

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
