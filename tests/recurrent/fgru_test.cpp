#include "recurrent_cells/fgru.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>

#include "tests/recurrent/test_util.h"

namespace ventral::recurrent {

using test::sigmoid;

TEST_CASE("fGRU chronos biases: b1 = log U[1, T-1], b2 = -b1", "[recurrent]") {
  torch::manual_seed(30);
  FGru cell(fgru_reference_options(1000, 1, 8));
  const auto& b1 = cell->circuit->gain_bias;
  const auto& b2 = cell->circuit->mix_bias;
  CHECK(b1.min().item<double>() >= 0.0);
  CHECK(b1.max().item<double>() <= std::log(7.0) + 1e-6);
  CHECK(b1.max().item<double>() > std::log(7.0) - 0.05);
  CHECK(torch::equal(b2, -b1));
  // PyTorch convention: G2 weights the new state, so sigma(b2) <= 0.5 retains the old one.
  CHECK(torch::sigmoid(b2).max().item<double>() <= 0.5);
}

TEST_CASE("fGRU one step matches the reference equations by hand", "[recurrent]") {
  FGru cell(CellOptions(1).kernel_size(1).timesteps(2).nonlinearity(Nonlinearity::relu));
  auto& c = *cell->circuit;
  const double wi = 0.6, we = 1.2, u1 = 0.5, u2 = -0.7, b1 = 0.3, b2 = -0.4, alpha = 0.2, mu = 0.9,
               kappa = 0.5, omega = 0.4;
  {
    torch::NoGradGuard no_grad;
    c.w_inh.fill_(wi);
    c.w_exc.fill_(we);
    c.u1.fill_(u1);
    c.u2.fill_(u2);
    c.gain_bias.fill_(b1);
    c.mix_bias.fill_(b2);
    c.alpha.fill_(alpha);
    c.mu.fill_(mu);
    c.kappa.fill_(kappa);
    c.omega.fill_(omega);
  }
  const double x = 1.1, h = 0.4;
  const auto out = cell->step(torch::full({1, 1, 1, 1}, x), torch::full({1, 1, 1, 1}, h), 0);
  const auto relu = [](double v) { return v > 0 ? v : 0.0; };
  const double g1 = sigmoid(u1 * h + b1);
  const double c1 = wi * (h * g1);
  const double h1 = relu(x - relu((alpha * h + mu) * c1));
  const double g2 = sigmoid(u2 * h1 + b2);
  const double c2 = we * h1;
  const double candidate = relu(kappa * (h1 + c2) + omega * (h1 * c2));
  CHECK(out.item<double>() == Approx((1 - g2) * h + g2 * candidate).epsilon(1e-5));
}

TEST_CASE("fGRU lesions remove their terms", "[recurrent]") {
  torch::manual_seed(31);
  const auto x = torch::rand({1, 3, 6, 6});
  FGru cell(fgru_reference_options(3, 3, 4).lesion_alpha(true).lesion_omega(true));
  const auto before = cell->forward(x, 3);
  {
    torch::NoGradGuard no_grad;
    cell->circuit->alpha.add_(1.0);
    cell->circuit->omega.add_(1.0);
  }
  const auto after = cell->forward(x, 3);
  after.sum().backward();
  CHECK(torch::equal(before, after));
  CHECK_FALSE(cell->circuit->alpha.grad().defined());
  CHECK_FALSE(cell->circuit->omega.grad().defined());
  CHECK(cell->circuit->mu.grad().defined());
}

TEST_CASE("Top-down fGRU: closed mix gate passes H_low, open gate mixes in the upsampled H_high",
          "[recurrent]") {
  torch::manual_seed(32);
  FGruTopDown td(FGruTopDownOptions(3, 5).timesteps(4));
  const auto h_low = torch::rand({2, 3, 8, 8});
  const auto h_high = torch::rand({2, 5, 4, 4});
  {
    torch::NoGradGuard no_grad;
    td->circuit->mix_bias.fill_(-100.0);  // G2 = 0
  }
  CHECK(torch::allclose(td->forward(h_low, h_high, 0), 2 * h_low));  // (1 - 0) H_low + residual H_low
  {
    torch::NoGradGuard no_grad;
    td->circuit->mix_bias.fill_(0.0);
  }
  const auto a = td->forward(h_low, h_high, 0);
  const auto b = td->forward(h_low, torch::rand({2, 5, 4, 4}), 0);  // (IN removes affine changes)
  CHECK(a.sizes() == h_low.sizes());
  CHECK((a - b).abs().max().item<double>() > 1e-4);
  // The upsampling block resizes to the lower layer and is non-negative (ReLU).
  const auto up = td->upsample(h_high, h_low);
  CHECK(up.sizes() == h_low.sizes());
  CHECK(up.min().item<double>() >= 0.0);
}

}  // namespace ventral::recurrent
