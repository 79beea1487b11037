// The human-map pipeline's parts against hand-computed values: bilinear with half-pixel
// centres, the blur kernel of blur.py, TF SAME padding (4 before, 5 after).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "alignment/clickme_map.h"

using namespace ventral::alignment;

TEST_CASE("bilinear resize with half-pixel centres, clamped at the borders", "[alignment]") {
  const std::vector<float> in = {0, 1, 2, 3};  // 2 x 2
  // source coordinates (i + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> 0, 0.25, 0.75, 1
  const auto up = resize_bilinear(in.data(), 2, 2, 4, 4);
  CHECK(std::vector<float>(up.begin(), up.begin() + 4) == std::vector<float>{0, 0.25f, 0.75f, 1});
  CHECK(up[4] == Approx(0.5f));  // row 0.25: 0 + 2 * 0.25
  CHECK(up[15] == 3);
  std::vector<float> ramp(8 * 8);
  std::iota(ramp.begin(), ramp.end(), 0.0f);
  // 8 -> 2 without antialias: the mean of the two middle pixels of each 4-pixel cell
  const auto down = resize_bilinear(ramp.data(), 8, 8, 2, 2);
  CHECK(down[0] == Approx((1.5f * 8 + 1.5f)));
  CHECK(down[3] == Approx((5.5f * 8 + 5.5f)));
}

TEST_CASE("the ClickMe blur kernel and its SAME padding", "[alignment]") {
  const auto k = clickme_blur_kernel();
  CHECK(std::accumulate(k.begin(), k.end(), 0.0) == Approx(1.0).epsilon(1e-6));
  // Peak at r = 4, c = 5 (x = 0, y = 0); corner r = 0, c = 0 is x = -5, y = 4.
  CHECK(*std::max_element(k.begin(), k.end()) == k[4 * 10 + 5]);
  CHECK(k[0] / k[4 * 10 + 5] == Approx(std::exp(-41.0 / 200.0)).epsilon(1e-6));
  // A single bright pixel at (i, j) spreads to out(i - r + 4, j - c + 4): the kernel,
  // flipped, with its peak one pixel left of the source.
  std::vector<float> dot(20 * 20, 0.0f);
  dot[10 * 20 + 10] = 1;
  const auto out = clickme_blur(dot.data(), 20, 20);
  CHECK(out[(10 - 4 + 4) * 20 + (10 - 5 + 4)] == Approx(k[4 * 10 + 5]));
  CHECK(out[(10 - 0 + 4) * 20 + (10 - 0 + 4)] == Approx(k[0]));
  CHECK(out[(10 + 5) * 20 + 10] == 0);  // 5 rows below: outside the kernel's reach
  // Zeros outside: a constant map keeps its value in the interior and loses it at the edges.
  std::vector<float> ones(64 * 64, 1.0f);
  const auto flat = clickme_blur(ones.data(), 64, 64);
  CHECK(flat[32 * 64 + 32] == Approx(1.0f).epsilon(1e-6));
  CHECK(flat[0] < 0.5f);
}

TEST_CASE("the human map pipeline ends at 224 x 224", "[alignment]") {
  std::vector<float> heatmap(256 * 256, 100.0f);
  const auto map = clickme_human_map(heatmap.data(), 256, 256);
  REQUIRE(map.size() == static_cast<std::size_t>(kScoreSide * kScoreSide));
  CHECK(map[112 * 224 + 112] == Approx(100.0f).epsilon(1e-5));
}

TEST_CASE("the training heatmap: the same blur, any output size, min-max scaled to [0, 1]",
          "[alignment]") {
  std::vector<float> heatmap(48 * 48, 0.0f);
  for (int y = 10; y < 20; ++y)
    for (int x = 30; x < 40; ++x) heatmap[y * 48 + x] = 200.0f;
  const auto map = clickme_training_map(heatmap.data(), 48, 48, 32, 32);
  REQUIRE(map.size() == 32u * 32u);
  const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
  CHECK(*lo == 0.0f);
  CHECK(*hi == Approx(1.0f));
  // the peak stays over the clicked square (rows 10..19, columns 30..39 of 48 -> 2/3 scale)
  const auto peak = static_cast<int>(hi - map.begin());
  CHECK(peak / 32 >= 5);
  CHECK(peak / 32 <= 14);
  CHECK(peak % 32 >= 18);
  // equal, up to the scaling, to the scoring pipeline's blur at the same size
  const auto small = resize_bilinear(heatmap.data(), 48, 48, kBlurSide, kBlurSide);
  const auto blurred = clickme_blur(small.data(), kBlurSide, kBlurSide);
  const auto resized = resize_bilinear(blurred.data(), kBlurSide, kBlurSide, 32, 32);
  const auto [rlo, rhi] = std::minmax_element(resized.begin(), resized.end());
  for (std::size_t k = 0; k < map.size(); k += 37)
    CHECK(map[k] == Approx((resized[k] - *rlo) / (*rhi - *rlo)).margin(1e-6));
  // a map without clicks stays zero instead of dividing by zero
  std::vector<float> empty(16 * 16, 0.0f);
  for (float v : clickme_training_map(empty.data(), 16, 16, 8, 8)) CHECK(v == 0.0f);
}
