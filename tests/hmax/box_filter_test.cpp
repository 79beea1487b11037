#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hmax/box_filter.h"

using namespace ventral::hmax;

TEST_CASE("box sums equal explicit window sums with zero padding", "[hmax]") {
  torch::manual_seed(3);
  auto x = torch::randint(0, 256, {2, 1, 9, 7}, torch::kFloat64);
  for (auto [before, after] : {std::pair<int64_t, int64_t>{0, 0}, {1, 1}, {3, 4}, {2, 0}}) {
    auto fast = box_sum_2d(x, before, after);
    auto acc = x.accessor<double, 4>();
    for (int64_t n = 0; n < 2; ++n) {
      for (int64_t i = 0; i < 9; ++i) {
        for (int64_t j = 0; j < 7; ++j) {
          double expected = 0.0;
          for (int64_t r = i - before; r <= i + after; ++r) {
            for (int64_t c = j - before; c <= j + after; ++c) {
              if (r >= 0 && r < 9 && c >= 0 && c < 7) expected += acc[n][0][r][c];
            }
          }
          REQUIRE(fast[n][0][i][j].item<double>() == expected);
        }
      }
    }
  }
}

TEST_CASE("one integral image serves every window up to its margin", "[hmax]") {
  auto x = torch::ones({1, 5, 5}, torch::kFloat64);
  IntegralImage table(x, 3);
  CHECK(table.window_sum(0, 0).sum().item<double>() == 25.0);
  CHECK(table.window_sum(1, 1)[0][2][2].item<double>() == 9.0);
  CHECK(table.window_sum(1, 1)[0][0][0].item<double>() == 4.0);
  CHECK(table.window_sum(3, 3)[0][2][2].item<double>() == 25.0);
  CHECK_THROWS(table.window_sum(4, 0));
}
