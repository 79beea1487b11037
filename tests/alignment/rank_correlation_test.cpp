// Average ranks, Spearman's rho and the top-10% overlap against hand-computed values, and
// the radix-sort ranks against a comparison sort on maps with many ties.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>
#include <vector>

#include "alignment/rank_correlation.h"
#include "alignment/top_overlap.h"

using namespace ventral::alignment;

TEST_CASE("average ranks share ties, order negatives and fold -0 into +0", "[alignment]") {
  const std::vector<float> v = {3.5f, -1.0f, 0.0f, 3.5f, -0.0f, -7.25f, 3.5f};
  // sorted: -7.25 (1), -1 (2), 0 and -0 (3, 4 -> 3.5), 3.5 x3 (5, 6, 7 -> 6)
  CHECK(average_ranks(v.data(), v.size()) == std::vector<double>{6, 2, 3.5, 6, 3.5, 1, 6});
}

TEST_CASE("Spearman's rho by hand, and NaN where it is undefined", "[alignment]") {
  const std::vector<float> a = {1, 2, 2, 3}, b = {10, 20, 30, 40};
  // ranks 1, 2.5, 2.5, 4 against 1..4: 4.5 / sqrt(4.5 * 5) (scipy: 0.9486832980505138)
  CHECK(spearman(a.data(), b.data(), 4) == Approx(std::sqrt(0.9)).epsilon(1e-15));
  const std::vector<float> up = {1, 4, 9, 16}, down = {5, 3, 2, -8};
  CHECK(spearman(up.data(), b.data(), 4) == 1.0);
  CHECK(spearman(up.data(), down.data(), 4) == -1.0);
  const std::vector<float> flat = {2, 2, 2, 2};
  CHECK(std::isnan(spearman(flat.data(), b.data(), 4)));
  const std::vector<float> with_nan = {1, NAN, 3, 4};
  CHECK(std::isnan(spearman(with_nan.data(), b.data(), 4)));
}

TEST_CASE("radix ranks equal comparison-sort ranks on a 224 x 224 map with ties", "[alignment]") {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> level(-300, 300);
  std::vector<float> v(224 * 224);
  for (auto& x : v) x = static_cast<float>(level(rng)) * 0.37f;  // ~600 distinct values
  std::vector<std::size_t> order(v.size());
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t i, std::size_t j) { return v[i] < v[j]; });
  std::vector<double> expected(v.size());
  for (std::size_t begin = 0; begin < v.size();) {
    std::size_t end = begin + 1;
    while (end < v.size() && v[order[end]] == v[order[begin]]) ++end;
    for (std::size_t k = begin; k < end; ++k)
      expected[order[k]] = 0.5 * static_cast<double>(begin + 1 + end);
    begin = end;
  }
  CHECK(average_ranks(v.data(), v.size()) == expected);
}

TEST_CASE("np.percentile's linear interpolation and the top-10% Dice and IoU", "[alignment]") {
  std::vector<float> v(10);
  std::iota(v.begin(), v.end(), 1.0f);  // 1..10: position 0.9 * 9 = 8.1 -> 9 + 0.1
  CHECK(percentile_linear(v.data(), v.size(), 90) == Approx(9.1).epsilon(1e-15));
  CHECK(percentile_linear(v.data(), v.size(), 50) == Approx(5.5).epsilon(1e-15));
  // 20 pixels: the top 10% is the two largest of each map.
  std::vector<float> a(20, 0.0f), b(20, 0.0f);
  a[3] = 5, a[7] = 6;   // top of a: {3, 7}
  b[7] = 9, b[11] = 8;  // top of b: {7, 11}
  auto overlap = top_overlap(a.data(), b.data(), 20);
  CHECK(overlap.dice == Approx(2.0 / 4.0).epsilon(1e-9));  // |A n B| = 1, |A| = |B| = 2
  CHECK(overlap.iou == Approx(1.0 / 3.0).epsilon(1e-9));
  auto same = top_overlap(a.data(), a.data(), 20);
  CHECK(same.dice == Approx(1.0).epsilon(1e-9));
}
