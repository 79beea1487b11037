#include <catch2/catch.hpp>

#include <cmath>
#include <numeric>

#include "hmax/gabor_bank.h"

using namespace ventral::hmax;

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

TEST_CASE("kernel entries equal values computed by hand from the spec", "[hmax]") {
  // Literals from hmax_classic.md's S1 filter, evaluated once in float64 with python3's
  // math module (math.fsum for the mean and the norm), independently of gabor_kernel:
  //   n = 7 + 2s, div = 4 - 0.05 s, lambda = 2n / div, sigma = 0.8 lambda, gamma = 0.3,
  //   theta = radians(deg + 90), x = r - n//2, y = c - n//2,
  //   u = x cos(theta) + y sin(theta), v = -x sin(theta) + y cos(theta),
  //   F = exp(-(u^2 + gamma^2 v^2) / (2 sigma^2)) cos(2 pi u / lambda), 0 where
  //   sqrt(x^2 + y^2) > n/2; k = (F - mean(F)) / sqrt(sum((F - mean(F))^2)) over all n^2 taps.
  //
  // s = 0, deg = 90 (n = 7, lambda 3.5, sigma 2.8, theta = pi): mean(F) = -0.016675529283237348,
  // norm = 3.57196259842983.
  //   (3, 3): u = v = 0, F = 1; k = (1 + 0.0166755...) / 3.5719626 = 0.28462658867989
  //   (0, 3): x = -3, y = 0, u = 3, v = 0; F = exp(-9 / 15.68) cos(2 pi 3 / 3.5) = 0.351199...;
  //           k = 0.10298944901616
  //   (3, 0): x = 0, y = -3, u = 0, v = 3; F = exp(-0.81 / 15.68) = 0.949653...; k = 0.27053165884292
  //   (0, 0): radius sqrt(18) > 3.5, masked, F = 0; k = 0.0166755... / 3.5719626 = 0.00466845013735
  // s = 1, deg = 45 (n = 9, div 3.95, lambda 4.5570, sigma 3.6456, theta = 135 degrees):
  // mean(F) = -0.034955040526522846, norm = 4.858603779630797; u and v both mix x and y here.
  struct Entry {
    int scale;
    double deg;
    int r, c;
    double value;
  };
  const Entry entries[] = {
      {0, 90.0, 3, 3, 0.2846265886798897},   {0, 90.0, 0, 3, 0.10298944901616278},
      {0, 90.0, 3, 0, 0.27053165884292196},  {0, 90.0, 1, 2, -0.18965298600160893},
      {0, 90.0, 0, 0, 0.004668450137346793}, {1, 45.0, 4, 4, 0.2130149086997929},
      {1, 45.0, 2, 5, -0.16222011887931787}, {1, 45.0, 6, 1, 0.027957956910083265},
      {1, 45.0, 0, 0, 0.007194462053701169}, {1, 45.0, 3, 7, -0.10265253949994284},
  };
  for (const Entry& e : entries) {
    INFO("scale " << e.scale << " orientation " << e.deg << " tap (" << e.r << ", " << e.c << ")");
    const auto params = classic_gabor_params(e.scale, e.deg);
    const auto k = gabor_kernel(params);
    // Summation order differs from math.fsum's exact sums: round-off of a few ulps only.
    CHECK(k[e.r * params.size + e.c] == Approx(e.value).epsilon(1e-13));
  }
}

TEST_CASE("orientations 0 and 90 are transposes of each other", "[hmax]") {
  auto k90 = gabor_kernel(classic_gabor_params(4, 90.0));
  auto k0 = gabor_kernel(classic_gabor_params(4, 0.0));
  const int n = 15;
  for (int r = 0; r < n; ++r) {
    for (int c = 0; c < n; ++c) CHECK(k0[r * n + c] == Approx(k90[c * n + r]).margin(1e-12));
  }
}
