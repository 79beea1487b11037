// Portable random draws: the same numbers on every platform and standard library. The
// engine is std::mt19937_64, whose output sequence the C++ standard fixes; the standard
// distributions (uniform_int_distribution, ...) are not used because their algorithms
// differ between standard libraries. Seeds are mixed with SplitMix64's finaliser (Steele,
// Lea, Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014).
//
// Inline on purpose: the Pathfinder generator draws millions per second, often with a
// constant n, and a call per draw costs measurably there. Changing any of these changes
// pinned outputs (tests/stimuli/pathfinder_test.cpp hashes, data orders, imprinted S2
// prototypes), so their algorithms are part of ventral's reproducibility contract.
#pragma once

#include <cassert>
#include <cstdint>
#include <random>

namespace ventral {

/// SplitMix64 finaliser: a bijective mix of 64 bits, used to derive independent seeds
/// from (seed, index) pairs.
inline std::uint64_t mix64(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

/// Uniform double in [0, 1) from the top 53 bits of one draw (every value a multiple of
/// 2^-53, so the result is exact and never 1).
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Uniform double in [low, high): low + (high - low) * uniform01.
inline double uniform(std::mt19937_64& rng, double low, double high) {
  return low + (high - low) * uniform01(rng);
}

/// Uniform integer in [0, n), n > 0, without modulo bias: draws at or above the largest
/// multiple of n that fits in 64 bits are rejected and redrawn, so every residue is
/// equally likely. For n far below 2^64 a redraw is rare (probability < n / 2^64), so
/// the result equals rng() % n for all but a vanishing fraction of draws.
inline std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
  assert(n > 0 && "uniform_below: n must be positive");
  const std::uint64_t limit = (~std::uint64_t{0} / n) * n;
  std::uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return draw % n;
}

}  // namespace ventral
