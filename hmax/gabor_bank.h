// The classic HMAX S1 Gabor bank: 16 scales x 4 orientations with the parameters of
// Serre, Wolf, Bileschi, Riesenhuber & Poggio (2007, PAMI, Table 1), built exactly as
// the Georgetown maxlab code's init_gabor.m (see docs/reference/hmax_classic.md).
// Pure math, no LibTorch: the trainable models initialise from the same kernels.
#pragma once

#include <array>
#include <vector>

namespace ventral::hmax {

/// Number of classic S1 scales (filter sizes 7, 9, ..., 37).
constexpr int kClassicScales = 16;
/// Classic orientations in channel order, degrees.
constexpr std::array<double, 4> kClassicOrientationsDeg = {90.0, -45.0, 0.0, 45.0};

/// Parameters of one Gabor kernel.
struct GaborParams {
  int size = 7;             ///< n: the kernel is n x n
  double wavelength = 3.5;  ///< lambda in pixels
  double sigma = 2.8;       ///< Gaussian width in pixels
  double aspect = 0.3;      ///< gamma, spatial aspect ratio
  double orientation_deg = 0.0;
};

/// Classic parameters of scale s (0..15): n = 7 + 2s, div = 4 - 0.05 s,
/// lambda = 2 n / div, sigma = 0.8 lambda.
GaborParams classic_gabor_params(int scale, double orientation_deg);

/// The n x n kernel, row-major: masked outside radius n/2, zero mean, unit L2 norm.
std::vector<double> gabor_kernel(const GaborParams& params);

/// All 4 classic orientations of one scale: 4 * n * n values, orientation-major.
std::vector<double> classic_gabor_scale(int scale);

}  // namespace ventral::hmax
