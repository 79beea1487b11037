#include "alignment/human_ceiling.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <numeric>
#include <random>

#include "alignment/rank_correlation.h"
#include "common/error.h"
#include "common/parallel_map.h"
#include "common/progress.h"
#include "common/random_draw.h"

namespace ventral::alignment {

namespace {

// Fisher-Yates with the portable draws of random_draw.h.
void shuffle(std::vector<std::size_t>& order, std::mt19937_64& rng) {
  for (std::size_t i = order.size(); i > 1; --i) std::swap(order[i - 1], order[uniform_below(rng, i)]);
}

// One image's split halves: (rho of its halves, rho of its first half with another image's
// second half) per iteration.
struct ImageDraws {
  std::vector<double> ceiling, floor;
};

// One map per trial: a half's map is the sum of its trials' maps (the blur is linear, so this
// equals blurring the half's clicks, up to float rounding, at a fraction of the cost).
std::vector<std::vector<float>> trial_maps(const ClickedImage& image, const ClickMapOptions& maps) {
  std::vector<std::vector<float>> out;
  for (const auto& trial : image.trials) out.push_back(click_map({&trial}, maps));
  return out;
}

// The sum of trial_maps[order[begin, end)].
std::vector<float> half_map(const std::vector<std::vector<float>>& trial_maps,
                            const std::vector<std::size_t>& order, std::size_t begin, std::size_t end) {
  std::vector<float> sum(trial_maps.front().size(), 0.0f);
  for (std::size_t k = begin; k < end; ++k) {
    const auto& m = trial_maps[order[k]];
    for (std::size_t p = 0; p < sum.size(); ++p) sum[p] += m[p];
  }
  return sum;
}

// Participants shuffled (a random split into halves at the cut).
std::vector<std::size_t> shuffled(std::size_t n, std::mt19937_64& rng) {
  std::vector<std::size_t> order(n);
  std::iota(order.begin(), order.end(), std::size_t{0});
  shuffle(order, rng);
  return order;
}

// Image i's draws. The floor's other image is drawn once per image, as the reference does;
// its halves are drawn anew in every iteration.
ImageDraws image_draws(const std::vector<ClickedImage>& images, std::size_t i,
                       const ClickMapOptions& maps, const HumanCeilingOptions& options) {
  std::mt19937_64 rng(mix64(options.seed ^ mix64(i)));
  std::size_t j = uniform_below(rng, images.size() - 1);
  if (j >= i) ++j;
  const auto own = trial_maps(images[i], maps), other = trial_maps(images[j], maps);
  const std::size_t n = own.size(), m = other.size(), pixels = own.front().size();
  ImageDraws draws;
  for (int it = 0; it < options.iterations; ++it) {
    const auto order = shuffled(n, rng), other_order = shuffled(m, rng);
    const auto first = half_map(own, order, 0, n / 2), second = half_map(own, order, n / 2, n);
    const auto other_second = half_map(other, other_order, m / 2, m);
    const auto first_ranks = average_ranks(first.data(), pixels);  // ranked once, used twice
    draws.ceiling.push_back(spearman_of_ranks(first_ranks, average_ranks(second.data(), pixels)));
    draws.floor.push_back(spearman_of_ranks(first_ranks, average_ranks(other_second.data(), pixels)));
  }
  return draws;
}

double nan_mean(const std::vector<double>& values) {
  double sum = 0;
  std::size_t n = 0;
  for (double v : values) {
    if (std::isfinite(v)) sum += v, ++n;
  }
  return n > 0 ? sum / static_cast<double>(n) : std::nan("");
}

double std_ddof1(const std::vector<double>& values) {
  std::vector<double> finite;
  for (double v : values) {
    if (std::isfinite(v)) finite.push_back(v);
  }
  if (finite.size() < 2) return std::nan("");
  const double mean = std::accumulate(finite.begin(), finite.end(), 0.0) /
                      static_cast<double>(finite.size());
  double ss = 0;
  for (double v : finite) ss += (v - mean) * (v - mean);
  return std::sqrt(ss / static_cast<double>(finite.size() - 1));
}

}  // namespace

HumanCeiling split_half_ceiling(const std::vector<ClickedImage>& images, const ClickMapOptions& maps,
                                const HumanCeilingOptions& options) {
  if (images.size() < 2)
    fail(
        "human ceiling: {} image(s) with enough participants; the split-half ceiling and its floor need at least 2",
        images.size());
  if (options.iterations < 1)
    fail("--iterations {} invalid, expected a positive number", options.iterations);
  for (const auto& image : images) {
    if (image.trials.size() < 2)
      fail("human ceiling: {} has {} trial(s); a split half needs at least 2", image.stimulus_id,
           image.trials.size());
  }
  const auto start = std::chrono::steady_clock::now();
  Progress progress("human ceiling", static_cast<std::int64_t>(images.size()), "images");
  std::vector<ImageDraws> draws;
  draws.reserve(images.size());
  constexpr std::size_t kBlock = 64;  // progress between blocks
  for (std::size_t begin = 0; begin < images.size(); begin += kBlock) {
    const std::size_t end = std::min(images.size(), begin + kBlock);
    auto block = parallel_map(end - begin, options.threads, [&](std::size_t k) {
      return image_draws(images, begin + k, maps, options);
    });
    for (auto& d : block) draws.push_back(std::move(d));
    progress.update(static_cast<std::int64_t>(end));
  }

  HumanCeiling result;
  result.iterations = options.iterations;
  std::vector<double> per_image_ceiling, per_image_floor;
  for (std::size_t i = 0; i < images.size(); ++i) {
    ImageCeiling image{images[i].stimulus_id, static_cast<int>(images[i].trials.size()),
                       nan_mean(draws[i].ceiling), nan_mean(draws[i].floor)};
    result.trials += images[i].trials.size();
    per_image_ceiling.push_back(image.ceiling);
    per_image_floor.push_back(image.floor);
    result.per_image.push_back(std::move(image));
  }
  result.ceiling = nan_mean(per_image_ceiling);
  result.floor = nan_mean(per_image_floor);
  result.ceiling_std_images = std_ddof1(per_image_ceiling);
  std::vector<double> per_iteration;
  for (int it = 0; it < options.iterations; ++it) {
    std::vector<double> column;
    for (const auto& d : draws) column.push_back(d.ceiling[static_cast<std::size_t>(it)]);
    per_iteration.push_back(nan_mean(column));
  }
  result.ceiling_std_iterations = std_ddof1(per_iteration);
  result.spearman_brown = 2 * result.ceiling / (1 + result.ceiling);
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace ventral::alignment
