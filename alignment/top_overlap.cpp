#include "alignment/top_overlap.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace ventral::alignment {

double percentile_linear(const float* values, std::size_t n, double q) {
  if (n == 0) return std::nan("");
  std::vector<float> sorted(values, values + n);
  const double position = q / 100.0 * static_cast<double>(n - 1);
  const std::size_t below = static_cast<std::size_t>(std::floor(position));
  const std::size_t above = std::min(below + 1, n - 1);
  std::nth_element(sorted.begin(), sorted.begin() + static_cast<std::ptrdiff_t>(below), sorted.end());
  const float a = sorted[below];
  const float b = above == below
                      ? a
                      : *std::min_element(sorted.begin() + static_cast<std::ptrdiff_t>(below) + 1,
                                          sorted.end());
  // numpy's _lerp: a + (b - a) t, or b - (b - a)(1 - t) from t = 0.5 on, with b - a in float32.
  const double t = position - static_cast<double>(below);
  const double difference = static_cast<double>(b - a);
  return t >= 0.5 ? static_cast<double>(b) - difference * (1.0 - t)
                  : static_cast<double>(a) + difference * t;
}

TopOverlap top_overlap(const float* a, const float* b, std::size_t n, double percentile) {
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) return {std::nan(""), std::nan("")};
  }
  const double cut_a = percentile_linear(a, n, percentile), cut_b = percentile_linear(b, n, percentile);
  std::size_t in_a = 0, in_b = 0, both = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const bool ia = static_cast<double>(a[i]) > cut_a, ib = static_cast<double>(b[i]) > cut_b;
    in_a += ia;
    in_b += ib;
    both += ia && ib;
  }
  const double either = static_cast<double>(in_a + in_b - both);
  return {2.0 * static_cast<double>(both) / (static_cast<double>(in_a + in_b) + 1e-9),
          static_cast<double>(both) / (either + 1e-9)};
}

}  // namespace ventral::alignment
