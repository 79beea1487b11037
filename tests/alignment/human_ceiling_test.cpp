// Click maps and the split-half human ceiling: the disk against its definition, the blur
// against a direct convolution, the log filters, and the ceiling's extremes and determinism.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "alignment/click_logs.h"
#include "alignment/click_maps.h"
#include "alignment/human_ceiling.h"

using namespace ventral::alignment;

namespace {

// Zero-padded 'same' convolution, the four nested loops spelled out.
std::vector<float> direct_convolution(const std::vector<float>& map, int h, int w,
                                      const std::vector<float>& kernel, int size) {
  const int r = size / 2;
  std::vector<float> out(map.size(), 0.0f);
  for (int y = 0; y < h; ++y) {
    for (int x = 0; x < w; ++x) {
      double sum = 0;
      for (int ky = 0; ky < size; ++ky) {
        for (int kx = 0; kx < size; ++kx) {
          const int sy = y + ky - r, sx = x + kx - r;
          if (sy >= 0 && sy < h && sx >= 0 && sx < w)
            sum += double(map[sy * w + sx]) * kernel[ky * size + kx];
        }
      }
      out[y * w + x] = static_cast<float>(sum);
    }
  }
  return out;
}

ClickTrial trial(std::vector<Click> clicks, std::string user = "u") {
  return {std::move(user), std::move(clicks)};
}

}  // namespace

TEST_CASE("the flat disk of the ClickMe 2 blur", "[alignment]") {
  const auto k = disk_kernel(21);
  REQUIRE(k.size() == 21u * 21u);
  int inside = 0;
  for (int y = 0; y < 21; ++y) {
    for (int x = 0; x < 21; ++x) {
      const bool in = (x - 10) * (x - 10) + (y - 10) * (y - 10) <= 100;
      inside += in;
      CHECK((k[y * 21 + x] > 0) == in);
    }
  }
  CHECK(inside == 317);  // lattice points within radius 10
  CHECK(k[10 * 21 + 10] == Approx(1.0 / 317));
  CHECK(disk_kernel(4).size() == 25u);  // an even size gets + 1, as the reference
  // radius 1: the centre and its four neighbours
  CHECK(disk_kernel(3) == std::vector<float>{0, 0.2f, 0, 0.2f, 0.2f, 0.2f, 0, 0.2f, 0});
}

TEST_CASE("disk_blur equals the direct zero-padded convolution", "[alignment]") {
  std::mt19937 rng(3);
  std::uniform_real_distribution<float> u(0, 1);
  for (int size : {3, 7, 21}) {
    const int h = 37, w = 29;
    std::vector<float> map(h * w);
    for (auto& v : map) v = u(rng) < 0.1f ? std::floor(u(rng) * 4) : 0.0f;
    const auto fast = disk_blur(map, h, w, size);
    const auto slow = direct_convolution(map, h, w, disk_kernel(size), size);
    for (std::size_t k = 0; k < map.size(); ++k) CHECK(fast[k] == Approx(slow[k]).margin(1e-6));
  }
}

TEST_CASE("click counts and maps", "[alignment]") {
  ClickMapOptions options{16, 12, 3, 0};
  const auto a = trial({{1, 2}, {1, 2}, {5, 7}}), b = trial({{1, 2}});
  const auto counts = click_counts({&a, &b}, options);
  CHECK(counts[2 * 12 + 1] == 3);
  CHECK(counts[7 * 12 + 5] == 1);
  CHECK(std::accumulate(counts.begin(), counts.end(), 0.0f) == 4);
  std::vector<Click> many(300, Click{0, 0});
  const auto capped = trial(many);
  CHECK(click_counts({&capped}, options)[0] == 255);  // the reference's uint8 canvas
  // the map is the counts blurred twice, then the centre crop (torchvision's offsets)
  const auto full = click_map({&a}, options);
  const auto kernel = disk_kernel(3);
  const auto twice = direct_convolution(direct_convolution(click_counts({&a}, options), 16, 12, kernel,
                                                           3),
                                        16, 12, kernel, 3);
  for (std::size_t k = 0; k < full.size(); ++k) CHECK(full[k] == Approx(twice[k]).margin(1e-6));
  options.crop = 8;
  const auto cropped = click_map({&a}, options);
  REQUIRE(cropped.size() == 64u);
  CHECK(cropped[0] == full[4 * 12 + 2]);  // top (16 - 8) / 2 = 4, left (12 - 8) / 2 = 2
  CHECK(cropped[63] == full[11 * 12 + 9]);
}

TEST_CASE("click logs are grouped per image with the reference's filters", "[alignment]") {
  CHECK(click_stimulus_id("/data/val/n01440764/ILSVRC2012_val_00000293.JPEG") ==
        "n01440764/ILSVRC2012_val_00000293.JPEG");
  CHECK(click_stimulus_id("a.png") == "a.png");
  const std::vector<ClickLogRow> rows = {
      {"x/img1.png", "ann", {1, 2, 3}, {1, 2, 3}},
      {"y/x/img1.png", "ann", {4, 5}, {4, 5}},       // the same person again: dropped
      {"x/img1.png", "bob", {1.9, 300}, {1.2, 2}},   // one click outside: too few left
      {"x/img1.png", "cy", {0.5, -0.5}, {0, 0}},     // -0.5 floors to -1: outside
      {"x/img1.png", "dee", {10, 11}, {10, 11.99}},  // kept, floored
      {"x/img2.png", "ann", {1, 2}, {1, 2}},         // one participant: image dropped
  };
  ClickGroupingCounts counts;
  const auto images = group_click_trials(rows, {32, 32, 2, 2}, &counts);
  REQUIRE(images.size() == 1);
  CHECK(images[0].stimulus_id == "x/img1.png");
  REQUIRE(images[0].trials.size() == 2);
  CHECK(images[0].trials[0].user == "ann");
  CHECK(images[0].trials[1].clicks[1].y == 11);
  CHECK(counts.rows == 6);
  CHECK(counts.repeated_trials == 1);
  CHECK(counts.short_trials == 2);
  CHECK(counts.clicks_outside == 2);
  CHECK(counts.images_with_too_few_subjects == 1);
}

TEST_CASE("split-half ceiling: identical participants agree perfectly, disjoint images do not",
          "[alignment]") {
  std::vector<ClickedImage> images;
  std::mt19937 rng(0);
  for (int i = 0; i < 4; ++i) {
    ClickedImage image{"img" + std::to_string(i), {}};
    std::vector<Click> clicks;
    for (int k = 0; k < 12; ++k) clicks.push_back({int(rng() % 20) + 40 * (i % 2), int(rng() % 64)});
    for (int s = 0; s < 6; ++s) image.trials.push_back(trial(clicks, "s" + std::to_string(s)));
    images.push_back(image);
  }
  const ClickMapOptions maps{64, 64, 5, 48};
  const auto c = split_half_ceiling(images, maps, {10, 1, 1});
  CHECK(c.ceiling == Approx(1.0));
  CHECK(c.spearman_brown == Approx(1.0));
  CHECK(c.ceiling_std_images == Approx(0.0).margin(1e-12));
  CHECK(c.floor < 0.9);
  CHECK(c.trials == 24u);
  REQUIRE(c.per_image.size() == 4u);
  CHECK(c.per_image[0].subjects == 6);
}

TEST_CASE("split-half ceiling: noisy participants, deterministic whatever the threads", "[alignment]") {
  std::vector<ClickedImage> images;
  std::mt19937 rng(7);
  std::normal_distribution<double> noise(0, 6);
  for (int i = 0; i < 6; ++i) {
    ClickedImage image{"img" + std::to_string(i), {}};
    const double cx = 20 + 8 * i, cy = 60 - 6 * i;
    for (int s = 0; s < 8; ++s) {
      std::vector<Click> clicks;
      for (int k = 0; k < 10; ++k)
        clicks.push_back(
            {std::clamp(int(cx + noise(rng)), 0, 79), std::clamp(int(cy + noise(rng)), 0, 79)});
      image.trials.push_back(trial(clicks, "s" + std::to_string(s)));
    }
    images.push_back(image);
  }
  const ClickMapOptions maps{80, 80, 7, 64};
  const auto one = split_half_ceiling(images, maps, {20, 5, 1});
  const auto two = split_half_ceiling(images, maps, {20, 5, 2});
  CHECK(one.ceiling == two.ceiling);
  CHECK(one.floor == two.floor);
  CHECK(one.ceiling > 0.3);
  CHECK(one.ceiling < 1.0);
  CHECK(one.floor < one.ceiling);
  CHECK(one.spearman_brown == Approx(2 * one.ceiling / (1 + one.ceiling)));
  CHECK(one.ceiling_std_iterations > 0);
  const auto other_seed = split_half_ceiling(images, maps, {20, 6, 1});
  CHECK(other_seed.ceiling != one.ceiling);
  CHECK_THROWS_WITH(split_half_ceiling({images[0]}, maps, {}), Catch::Contains("at least 2"));
}
