#include "training/data/sample_random.h"

#include <numeric>

namespace ventral::data {

std::uint64_t epoch_seed(std::uint64_t seed, std::int64_t epoch) {
  return mix64(mix64(seed) ^ static_cast<std::uint64_t>(epoch));
}

std::uint64_t sample_seed(std::uint64_t seed, std::int64_t epoch, std::uint64_t index) {
  // A different constant than the shuffle's, so sample 0 never shares the order's stream.
  return mix64(epoch_seed(seed, epoch) ^ mix64(index ^ 0x5851f42d4c957f2dull));
}

std::vector<std::size_t> shuffled_indices(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  for (std::size_t i = n; i > 1; --i) {
    std::size_t j = static_cast<std::size_t>(uniform_below(rng, i));
    std::swap(order[i - 1], order[j]);
  }
  return order;
}

}  // namespace ventral::data
