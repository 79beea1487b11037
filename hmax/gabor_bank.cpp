#include "hmax/gabor_bank.h"

#include <cmath>

#include "common/error.h"

namespace ventral::hmax {

GaborParams classic_gabor_params(int scale, double orientation_deg) {
  if (scale < 0 || scale >= kClassicScales) {
    fail("classic S1 scale {} out of range, expected 0..{}", scale, kClassicScales - 1);
  }
  GaborParams p;
  p.size = 7 + 2 * scale;
  double div = 4.0 - 0.05 * scale;
  p.wavelength = 2.0 * p.size / div;
  p.sigma = 0.8 * p.wavelength;
  p.aspect = 0.3;
  p.orientation_deg = orientation_deg;
  return p;
}

std::vector<double> gabor_kernel(const GaborParams& params) {
  const int n = params.size;
  const int half = n / 2;
  // maxlab rotates by 90 degrees more than the nominal orientation.
  const double theta = (params.orientation_deg + 90.0) * M_PI / 180.0;
  const double cos_t = std::cos(theta), sin_t = std::sin(theta);
  const double gamma2 = params.aspect * params.aspect;
  const double two_sigma2 = 2.0 * params.sigma * params.sigma;
  std::vector<double> kernel(static_cast<std::size_t>(n) * n, 0.0);
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) {
      const double x = r - half, y = c - half;
      if (std::sqrt(x * x + y * y) > n / 2.0) continue;
      const double u = x * cos_t + y * sin_t;
      const double v = -x * sin_t + y * cos_t;
      kernel[r * n + c] = std::exp(-(u * u + gamma2 * v * v) / two_sigma2) *
                          std::cos(2.0 * M_PI * u / params.wavelength);
    }
  }
  // Mean and norm run over all n^2 taps, masked ones included, as in init_gabor.m.
  double mean = 0.0;
  for (double v : kernel) mean += v;
  mean /= static_cast<double>(kernel.size());
  double norm2 = 0.0;
  for (double& v : kernel) {
    v -= mean;
    norm2 += v * v;
  }
  const double norm = std::sqrt(norm2);
  for (double& v : kernel) v /= norm;
  return kernel;
}

std::vector<double> classic_gabor_scale(int scale) {
  std::vector<double> bank;
  for (double deg : kClassicOrientationsDeg) {
    auto k = gabor_kernel(classic_gabor_params(scale, deg));
    bank.insert(bank.end(), k.begin(), k.end());
  }
  return bank;
}

}  // namespace ventral::hmax
