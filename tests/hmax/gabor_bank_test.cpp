#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "hmax/gabor_bank.h"

using namespace ventral::hmax;
using namespace ventral::models;

TEST_CASE("classic Gabor parameters match the spec's check values", "[hmax]") {
  auto p7 = classic_gabor_params(0, 0.0);
  CHECK(p7.size == 7);
  CHECK(p7.wavelength == Approx(3.5).epsilon(1e-12));
  CHECK(p7.sigma == Approx(2.8).epsilon(1e-12));
  auto p11 = classic_gabor_params(2, 0.0);
  CHECK(p11.size == 11);
  CHECK(p11.wavelength == Approx(5.641).margin(5e-4));
  CHECK(p11.sigma == Approx(4.513).margin(5e-4));
  auto p37 = classic_gabor_params(15, 0.0);
  CHECK(p37.size == 37);
  CHECK(p37.wavelength == Approx(22.77).margin(5e-3));
  CHECK(p37.sigma == Approx(18.22).margin(5e-3));
  CHECK_THROWS(classic_gabor_params(16, 0.0));
}

TEST_CASE("classic Gabor kernels have zero mean and unit norm", "[hmax]") {
  for (int s = 0; s < kClassicScales; ++s) {
    for (double deg : kClassicOrientationsDeg) {
      auto k = gabor_kernel(classic_gabor_params(s, deg));
      double sum = std::accumulate(k.begin(), k.end(), 0.0);
      double sq = std::inner_product(k.begin(), k.end(), k.begin(), 0.0);
      CHECK(std::abs(sum) < 1e-12);
      CHECK(sq == Approx(1.0).epsilon(1e-12));
    }
  }
}

TEST_CASE("the circular mask leaves equal values outside radius n/2", "[hmax]") {
  auto params = classic_gabor_params(3, 45.0);  // 13 x 13
  auto k = gabor_kernel(params);
  const int n = params.size, half = n / 2;
  // Masked taps were 0 before mean removal, so they all equal -mean / norm.
  double masked = k[0];  // corner: radius sqrt(72) > 6.5
  int masked_count = 0;
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) {
      double radius = std::hypot(r - half, c - half);
      if (radius > n / 2.0) {
        CHECK(k[r * n + c] == Approx(masked).margin(1e-15));
        ++masked_count;
      }
    }
  }
  CHECK(masked_count == 32);  // 8 taps per corner of a 13 x 13 grid lie outside radius 6.5
  CHECK(masked != 0.0);
}

TEST_CASE("the spot value at the kernel centre follows the formula", "[hmax]") {
  // At the centre u = v = 0: F = (1 - mean) / norm. Recompute mean and norm by hand.
  auto params = classic_gabor_params(0, 90.0);
  const int n = 7, half = 3;
  double raw[49];
  const double theta = M_PI;  // 90 + 90 degrees
  double mean = 0.0;
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) {
      double x = r - half, y = c - half;
      double u = x * std::cos(theta) + y * std::sin(theta), v = -x * std::sin(theta) + y * std::cos(theta);
      raw[r * n + c] = std::hypot(x, y) > 3.5 ? 0.0
                       : std::exp(-(u * u + 0.09 * v * v) / (2 * 2.8 * 2.8)) * std::cos(2 * M_PI * u / 3.5);
      mean += raw[r * n + c] / 49.0;
    }
  }
  double norm = 0.0;
  for (double v : raw) norm += (v - mean) * (v - mean);
  norm = std::sqrt(norm);
  auto k = gabor_kernel(params);
  CHECK(k[3 * n + 3] == Approx((1.0 - mean) / norm).epsilon(1e-12));
  CHECK(k[0 * n + 3] == Approx((raw[3] - mean) / norm).epsilon(1e-12));
}

TEST_CASE("orientations 0 and 90 are transposes of each other", "[hmax]") {
  auto k90 = gabor_kernel(classic_gabor_params(4, 90.0));
  auto k0 = gabor_kernel(classic_gabor_params(4, 0.0));
  const int n = 15;
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) CHECK(k0[r * n + c] == Approx(k90[c * n + r]).margin(1e-12));
  }
}
