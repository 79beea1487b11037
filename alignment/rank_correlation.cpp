#include "alignment/rank_correlation.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <limits>

namespace ventral::alignment {
namespace {

// Maps a float's bits to an unsigned key with the same order (negatives flipped whole,
// positives with the sign bit set); -0.0 is folded into +0.0 first so that they tie.
std::uint32_t order_key(float v) {
  if (v == 0.0f) v = 0.0f;
  std::uint32_t bits;
  std::memcpy(&bits, &v, sizeof bits);
  return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
}

// Indices 0..n-1 sorted by key, stably (LSD radix sort, 8 bits a pass).
std::vector<std::uint32_t> sorted_order(const std::vector<std::uint32_t>& keys) {
  const std::size_t n = keys.size();
  std::vector<std::uint32_t> order(n), scratch(n);
  for (std::size_t i = 0; i < n; ++i) order[i] = static_cast<std::uint32_t>(i);
  for (int shift = 0; shift < 32; shift += 8) {
    std::array<std::size_t, 257> start{};
    for (std::size_t i = 0; i < n; ++i) ++start[((keys[i] >> shift) & 0xffu) + 1];
    if (start[((keys[0] >> shift) & 0xffu) + 1] == n) continue;  // one bucket: nothing moves
    for (int b = 0; b < 256; ++b) start[b + 1] += start[b];
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint32_t index = order[i];
      scratch[start[(keys[index] >> shift) & 0xffu]++] = index;
    }
    order.swap(scratch);
  }
  return order;
}

}  // namespace

std::vector<double> average_ranks(const float* values, std::size_t n) {
  std::vector<double> ranks(n);
  if (n == 0) return ranks;
  std::vector<std::uint32_t> keys(n);
  for (std::size_t i = 0; i < n; ++i) keys[i] = order_key(values[i]);
  const auto order = sorted_order(keys);
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && keys[order[end]] == keys[order[begin]]) ++end;
    const double shared = 0.5 * static_cast<double>(begin + 1 + end);  // mean of begin+1 .. end
    for (std::size_t k = begin; k < end; ++k) ranks[order[k]] = shared;
    begin = end;
  }
  return ranks;
}

double spearman_of_ranks(const std::vector<double>& ra, const std::vector<double>& rb) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  const std::size_t n = ra.size();
  if (n < 2 || rb.size() != n) return kNaN;
  // Both rank vectors have mean (n + 1) / 2.
  const double mean = 0.5 * static_cast<double>(n + 1);
  double sab = 0, saa = 0, sbb = 0;
  for (std::size_t i = 0; i < n; ++i) {
    const double da = ra[i] - mean, db = rb[i] - mean;
    sab += da * db;
    saa += da * da;
    sbb += db * db;
  }
  if (!(saa > 0) || !(sbb > 0)) return kNaN;
  const double rho = sab / std::sqrt(saa * sbb);
  return std::max(-1.0, std::min(1.0, rho));
}

double spearman(const float* a, const float* b, std::size_t n) {
  constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
  if (n < 2) return kNaN;
  for (std::size_t i = 0; i < n; ++i) {
    if (!std::isfinite(a[i]) || !std::isfinite(b[i])) return kNaN;
  }
  return spearman_of_ranks(average_ranks(a, n), average_ranks(b, n));
}

}  // namespace ventral::alignment
