// models/flop_count: FLOPs counted from the operators that run equal the hand formulas, nested
// operators are not counted twice, and hmax-wide's count equals its analytic forward_flops.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "hmax/hmax_wide.h"
#include "models/flop_count.h"
#include "models/registry.h"

using ventral::models::count_flops;

TEST_CASE("FLOPs of convolutions and linear layers, counted once", "[models][flops]") {
  torch::NoGradGuard no_grad;
  // conv 3 -> 4, 3x3, padding 1 on 2 x 3 x 8 x 8: 2 * 2 * 64 * 4 * 3 * 9
  torch::nn::Conv2d conv(torch::nn::Conv2dOptions(3, 4, 3).padding(1));
  const auto x = torch::randn({2, 3, 8, 8});
  CHECK(count_flops([&] { conv->forward(x); }) == 2 * 2 * 64 * 4 * 3 * 9);
  // stride 2, no padding, groups 1: output 3 x 3
  torch::nn::Conv2d strided(torch::nn::Conv2dOptions(3, 4, 3).stride(2));
  CHECK(count_flops([&] { strided->forward(x); }) == 2 * 2 * 9 * 4 * 3 * 9);
  // grouped (depthwise): each output channel sees one input channel
  torch::nn::Conv2d depthwise(torch::nn::Conv2dOptions(4, 4, 3).padding(1).groups(4));
  CHECK(count_flops([&] { depthwise->forward(torch::randn({1, 4, 8, 8})); }) == 2 * 64 * 4 * 1 * 9);
  // linear 5 -> 7 on a batch of 3 (addmm), and a plain matrix product (mm), and bmm
  torch::nn::Linear linear(5, 7);
  CHECK(count_flops([&] { linear->forward(torch::randn({3, 5})); }) == 2 * 3 * 5 * 7);
  CHECK(count_flops([&] {
          torch::matmul(torch::randn({4, 6}), torch::randn({6, 2}));
        }) == 2 * 4 * 6 * 2);
  CHECK(count_flops([&] {
          torch::bmm(torch::randn({3, 4, 6}), torch::randn({3, 6, 2}));
        }) == 2 * 3 * 4 * 6 * 2);
  // element-wise work is not counted
  CHECK(count_flops([&] { torch::relu(x) + x; }) == 0);
  // the counter is off outside the call
  CHECK(count_flops([] {}) == 0);
}

TEST_CASE("hmax-wide: the counted FLOPs are at least its analytic convolution FLOPs",
          "[models][flops]") {
  torch::NoGradGuard no_grad;
  auto model = ventral::models::create_model("hmax-wide", {{},
                                                           {{"width", "8"},
                                                            {"s2_width", "16"},
                                                            {"s3_width", "32"},
                                                            {"num_classes", "10"},
                                                            {"input_size", "48"},
                                                            {"in_chans", "1"}}});
  model->eval();
  const auto image = torch::zeros({1, 1, 48, 48});
  const int64_t counted = count_flops([&] { model->forward(image); });
  auto* wide = dynamic_cast<ventral::hmax::HmaxWideImpl*>(model.get());
  REQUIRE(wide != nullptr);
  const int64_t analytic = wide->forward_flops(48, 48);
  // forward_flops counts the S convolutions; the counter adds the read-out's matrix product.
  CHECK(counted >= analytic);
  CHECK(counted - analytic <= 2 * 32 * 10 + 2 * 64 * 64 * 32);
}
