// Model saliency (alignment/saliency.h) against its formula on a function with a known
// gradient, and against central finite differences on a small convolutional network.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "alignment/saliency.h"
#include "common/error.h"

using namespace ventral::alignment;

TEST_CASE("saliency is max over channels of |d true logit / d input|", "[alignment]") {
  torch::manual_seed(0);
  const auto w1 = torch::randn({3, 4, 5}, torch::kFloat64),
             w2 = torch::randn({3, 4, 5}, torch::kFloat64);
  auto logits_of = [&](const torch::Tensor& x) {
    return torch::stack({(w1 * x * x).sum({1, 2, 3}), (w2 * x).sum({1, 2, 3})}, 1);
  };
  const auto x = torch::randn({2, 3, 4, 5}, torch::kFloat64);
  const auto before = x.clone();
  torch::NoGradGuard no_grad;  // as callers hold it; saliency turns gradients back on
  const auto maps = saliency_maps(logits_of, x, torch::tensor({0, 1}));
  REQUIRE(maps.sizes() == torch::IntArrayRef({2, 4, 5}));
  CHECK(torch::allclose(maps[0], (2 * w1 * x[0]).abs().amax(0), 0, 1e-12));  // d sum(w1 x^2) = 2 w1 x
  CHECK(torch::allclose(maps[1], w2.abs().amax(0), 0, 1e-12));
  CHECK(torch::equal(x, before));
  CHECK_THROWS_WITH(saliency_maps(logits_of, x, torch::tensor({0, 2})),
                    Catch::Contains("label 2 is outside the model's 2 classes"));
}

TEST_CASE("saliency equals central finite differences on a small ConvNet", "[alignment]") {
  torch::manual_seed(1);
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  torch::nn::Linear head(4 * 6 * 6, 3);
  conv->to(torch::kFloat64);
  head->to(torch::kFloat64);
  auto logits_of = [&](const torch::Tensor& x) { return head(torch::tanh(conv(x)).flatten(1)); };
  const auto x = torch::randn({1, 3, 6, 6}, torch::kFloat64);
  const int64_t label = 2;
  const auto maps = saliency_maps(logits_of, x, torch::tensor({label}));
  torch::NoGradGuard no_grad;
  const double eps = 1e-6;
  auto expected = torch::zeros({6, 6}, torch::kFloat64);
  for (int64_t y = 0; y < 6; ++y) {
    for (int64_t x0 = 0; x0 < 6; ++x0) {
      double largest = 0;
      for (int64_t c = 0; c < 3; ++c) {
        auto up = x.clone(), down = x.clone();
        up[0][c][y][x0] += eps;
        down[0][c][y][x0] -= eps;
        const double slope = (logits_of(up)[0][label].item<double>() -
                              logits_of(down)[0][label].item<double>()) /
                             (2 * eps);
        largest = std::max(largest, std::abs(slope));
      }
      expected[y][x0] = largest;
    }
  }
  CHECK(torch::allclose(maps[0], expected, 1e-6, 1e-8));
}
