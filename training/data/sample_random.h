// Random numbers for data order and augmentation that are the same on every platform
// and every run: SplitMix64 seed mixing (Steele, Lea, Flood 2014) over std::mt19937_64,
// whose output sequence the C++ standard fixes. The standard distributions are not
// used because their algorithms differ between standard libraries.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

namespace ventral::data {

/// SplitMix64 finaliser: a bijective mix of 64 bits.
std::uint64_t mix64(std::uint64_t x);

/// Seed of the generator for one (seed, epoch, sample) triple: augmentations of a sample
/// never depend on which worker or batch handles it.
std::uint64_t sample_seed(std::uint64_t seed, std::int64_t epoch, std::uint64_t index);

/// Seed of an epoch's shuffle.
std::uint64_t epoch_seed(std::uint64_t seed, std::int64_t epoch);

/// Uniform double in [0, 1) from 53 random bits.
inline double uniform01(std::mt19937_64& rng) { return static_cast<double>(rng() >> 11) * 0x1.0p-53; }

/// Uniform double in [low, high).
double uniform(std::mt19937_64& rng, double low, double high);

/// Uniform integer in [0, n) without modulo bias (rejection sampling); n > 0. Inline:
/// the Pathfinder generator draws millions, often with constant n.
inline std::uint64_t uniform_below(std::mt19937_64& rng, std::uint64_t n) {
  // Accept only draws below the largest multiple of n, so every residue is equally likely.
  const std::uint64_t limit = (~std::uint64_t{0} / n) * n;
  std::uint64_t draw = rng();
  while (draw >= limit) draw = rng();
  return draw % n;
}

/// 0..n-1 in Fisher-Yates shuffled order.
std::vector<std::size_t> shuffled_indices(std::size_t n, std::mt19937_64& rng);

}  // namespace ventral::data
