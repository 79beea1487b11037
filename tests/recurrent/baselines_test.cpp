#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>

#include "common/error.h"
#include "recurrent_cells/conv_gru.h"
#include "recurrent_cells/conv_lstm.h"
#include "recurrent_cells/make_cell.h"
#include "tests/recurrent/test_util.h"

namespace ventral::recurrent {

using test::sigmoid;

TEST_CASE("ConvLSTM single step matches the hand-computed equations", "[recurrent]") {
  ConvLstm cell(CellOptions(1).kernel_size(1));
  const double w[4][2] = {{0.1, 0.2}, {0.3, -0.4}, {0.5, 0.6}, {-0.7, 0.8}};
  const double b[4] = {0.01, 0.02, 0.03, 0.04};
  {
    torch::NoGradGuard no_grad;
    for (int j = 0; j < 4; ++j) {
      cell->gates->weight[j][0][0][0].fill_(w[j][0]);
      cell->gates->weight[j][1][0][0].fill_(w[j][1]);
      cell->gates->bias[j].fill_(b[j]);
    }
  }
  const double x = 0.5, h = 0.2, c = -0.3;
  const auto state = torch::tensor({h, c}, torch::kFloat).view({1, 2, 1, 1});
  const auto next = cell->step(torch::full({1, 1, 1, 1}, x), state, 0);
  double p[4];
  for (int j = 0; j < 4; ++j) p[j] = w[j][0] * x + w[j][1] * h + b[j];
  const double c_next = sigmoid(p[1]) * c + sigmoid(p[0]) * std::tanh(p[3]);
  const double h_next = sigmoid(p[2]) * std::tanh(c_next);
  CHECK(cell->output(next).item<double>() == Approx(h_next).epsilon(1e-5));
  CHECK(cell->memory(next).item<double>() == Approx(c_next).epsilon(1e-5));
}

TEST_CASE("ConvGRU single step matches the hand-computed equations", "[recurrent]") {
  ConvGru cell(CellOptions(1).kernel_size(1));
  const double wz[2] = {0.4, -0.3}, wr[2] = {-0.2, 0.9}, wc[2] = {0.7, 0.5};
  const double bz = 0.1, br = -0.05, bc = 0.02;
  {
    torch::NoGradGuard no_grad;
    for (int i = 0; i < 2; ++i) {
      cell->gates->weight[0][i][0][0].fill_(wz[i]);
      cell->gates->weight[1][i][0][0].fill_(wr[i]);
      cell->candidate->weight[0][i][0][0].fill_(wc[i]);
    }
    cell->gates->bias[0].fill_(bz);
    cell->gates->bias[1].fill_(br);
    cell->candidate->bias[0].fill_(bc);
  }
  const double x = -0.8, h = 0.35;
  const auto next = cell->step(torch::full({1, 1, 1, 1}, x), torch::full({1, 1, 1, 1}, h), 0);
  const double z = sigmoid(wz[0] * x + wz[1] * h + bz);
  const double r = sigmoid(wr[0] * x + wr[1] * h + br);
  const double n = std::tanh(wc[0] * x + wc[1] * (r * h) + bc);
  CHECK(next.item<double>() == Approx((1 - z) * h + z * n).epsilon(1e-5));
}

TEST_CASE("ConvGRU/ConvLSTM 3x3 kernels use zero padding over space", "[recurrent]") {
  // A 3x3 ConvGRU step at a corner pixel equals the same step on the explicitly zero-padded
  // input (cropped back), i.e. the border is handled as zeros.
  torch::manual_seed(20);
  ConvGru cell(CellOptions(2).input_channels(3).kernel_size(3));
  const auto x = torch::randn({1, 3, 4, 5});
  const auto h = torch::randn({1, 2, 4, 5});
  const auto next = cell->step(x, h, 0);
  const auto xp = torch::constant_pad_nd(x, {1, 1, 1, 1});
  const auto hp = torch::constant_pad_nd(h, {1, 1, 1, 1});
  const auto zr = torch::sigmoid(
      torch::conv2d(torch::cat({xp, hp}, 1), cell->gates->weight, cell->gates->bias));
  const auto z = zr.narrow(1, 0, 2), r = zr.narrow(1, 2, 2);
  const auto n = torch::tanh(
      torch::conv2d(torch::cat({xp, torch::constant_pad_nd(r * h, {1, 1, 1, 1})}, 1),
                    cell->candidate->weight, cell->candidate->bias));
  CHECK(torch::allclose((1 - z) * h + z * n, next, 1e-5, 1e-6));
}

TEST_CASE("make_cell builds every cell and rejects bad options with one line", "[recurrent]") {
  const auto x = torch::randn({1, 4, 6, 6});
  for (const auto& name : cell_names()) {
    auto cell = make_cell(name, CellOptions(4).kernel_size(3).timesteps(3));
    const auto states = cell->unroll(x, 4);
    REQUIRE(states.size() == 4);
    CHECK(cell->output(states.back()).sizes() == x.sizes());
    CHECK(torch::isfinite(states.back()).all().item<bool>());
    CHECK(states.back().abs().sum().item<double>() > 0.0);
  }
  auto message = [](auto f) {
    try {
      f();
    } catch (const ventral::Error& e) {
      return std::string(e.what());
    }
    return std::string("no ventral::Error");
  };
  CHECK(message([] { make_cell("hgur", CellOptions(4)); }) ==
        "unknown recurrent cell 'hgur'; known: convgru, convlstm, fgru, hgru");
  CHECK(message([] { make_cell("hgru", CellOptions(4).kernel_size(4)); }) ==
        "hgru: kernel_size must be a positive odd number, got 4");
  CHECK(message([] { make_cell("fgru", CellOptions(4).timesteps(0)); }) ==
        "fgru: timesteps must be positive, got 0");
  CHECK(message([] { make_cell("convlstm", CellOptions(0)); }) ==
        "convlstm: channels must be positive, got 0");
  CHECK(message([] { make_cell("hgru", CellOptions(4).input_channels(3)); }) ==
        "hgru: input_channels must equal channels (4), got 3");
  CHECK(message([] { parse_step_norm("layer"); }) ==
        "unknown per-step normalisation 'layer'; known: batch, instance, none");
}

}  // namespace ventral::recurrent
