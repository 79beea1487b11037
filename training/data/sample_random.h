// Seeds and orders for data order and augmentation, the same on every platform and every
// run: per-(seed, epoch, sample) seeds by SplitMix64 mixing and a Fisher-Yates shuffle.
// The draws themselves (mix64, uniform01, uniform, uniform_below) are common/random_draw.h.
#pragma once

#include <cstdint>
#include <random>
#include <vector>

#include "common/random_draw.h"

namespace ventral::data {

/// Seed of the generator for one (seed, epoch, sample) triple: augmentations of a sample
/// never depend on which worker or batch handles it.
std::uint64_t sample_seed(std::uint64_t seed, std::int64_t epoch, std::uint64_t index);

/// Seed of an epoch's shuffle.
std::uint64_t epoch_seed(std::uint64_t seed, std::int64_t epoch);

/// 0..n-1 in Fisher-Yates shuffled order.
std::vector<std::size_t> shuffled_indices(std::size_t n, std::mt19937_64& rng);

}  // namespace ventral::data
