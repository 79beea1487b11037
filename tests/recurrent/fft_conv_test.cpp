#include "recurrent_cells/fft_conv.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "common/error.h"
#include "recurrent_cells/hgru.h"

namespace ventral::recurrent {

TEST_CASE("fft_friendly_size: smallest 2^a 3^b 5^c at or above the minimum", "[fft]") {
  CHECK(fft_friendly_size(1) == 1);
  CHECK(fft_friendly_size(7) == 8);
  CHECK(fft_friendly_size(31) == 32);
  CHECK(fft_friendly_size(40) == 40);
  CHECK(fft_friendly_size(46) == 48);
  CHECK(fft_friendly_size(61) == 64);
  CHECK(fft_friendly_size(97) == 100);
}

TEST_CASE("fft_conv2d_same equals conv2d with zero SAME padding, values and gradients", "[fft]") {
  torch::manual_seed(3);
  for (int64_t k : {1, 3, 5, 9, 15}) {
    // Non-square maps, more outputs than inputs, a kernel wider than the map for k = 15.
    auto x = torch::randn({2, 3, 11, 14}, torch::kDouble).requires_grad_();
    auto w = torch::randn({5, 3, k, k}, torch::kDouble).requires_grad_();
    auto direct = torch::conv2d(x, w, {}, 1, k / 2);
    auto fft = fft_conv2d_same(x, w);
    REQUIRE(fft.sizes() == direct.sizes());
    CHECK(torch::allclose(fft, direct, 1e-9, 1e-9));
    auto g = torch::randn_like(direct);
    auto gd = torch::autograd::grad({direct}, {x, w}, {g});
    auto gf = torch::autograd::grad({fft}, {x, w}, {g});
    CHECK(torch::allclose(gf[0], gd[0], 1e-9, 1e-9));
    CHECK(torch::allclose(gf[1], gd[1], 1e-9, 1e-9));
  }
  CHECK_THROWS_AS(fft_conv2d_same(torch::zeros({1, 3, 8, 8}), torch::zeros({2, 3, 4, 4})), Error);
  CHECK_THROWS_WITH(parse_conv_method("winograd"), Catch::Contains("auto, direct, fft"));
}

TEST_CASE("hGRU steps agree between FFT and direct horizontal convolutions", "[fft]") {
  torch::manual_seed(4);
  auto options = CellOptions(6).kernel_size(15).timesteps(4).conv_method(ConvMethod::direct);
  HGru direct(options);
  HGru fft(CellOptions(options).conv_method(ConvMethod::fft));
  {
    torch::NoGradGuard no_grad;
    auto params = fft->named_parameters();
    for (const auto& p : direct->named_parameters()) params[p.key()].copy_(p.value());
  }
  auto x = torch::randn({2, 6, 20, 20});
  auto a = direct->forward(x, 4), b = fft->forward(x, 4);
  CHECK((a - b).abs().max().item<double>() < 1e-4);
  a.sum().backward();
  b.sum().backward();
  const auto& ga = direct->w_inh.grad();
  const auto& gb = fft->w_inh.grad();
  CHECK((ga - gb).abs().max().item<double>() < 1e-3 * ga.abs().max().item<double>());
  CHECK(torch::equal(gb, gb.transpose(0, 1)));  // the symmetry hook sees the FFT path's gradient
}

}  // namespace ventral::recurrent
