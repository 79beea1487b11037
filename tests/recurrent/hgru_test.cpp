#include "recurrent_cells/hgru.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>

#include "recurrent_cells/crbp.h"
#include "tests/recurrent/test_util.h"

namespace ventral::recurrent {
namespace {

using test::channel_symmetric;
using test::sigmoid;

// A few training steps of `cell` with `optimizer`, the loss including the Lipschitz penalty
// (double back-prop through W as well).
void train_steps(HGru& cell, torch::optim::Optimizer& optimizer, int steps) {
  const auto x = torch::randn({2, 4, 8, 8});
  const auto target = torch::randn({2, 4, 8, 8});
  for (int i = 0; i < steps; ++i) {
    optimizer.zero_grad();
    const auto rollout = bptt_rollout(*cell, x, 4);
    const auto loss = (rollout.state - target).pow(2).mean() + 10.0 * lipschitz_penalty(rollout);
    loss.backward();
    optimizer.step();
  }
}

}  // namespace

TEST_CASE("hGRU horizontal kernel stays exactly channel-symmetric under SGD and AdamW", "[recurrent]") {
  torch::manual_seed(1);
  for (const bool two_kernels : {false, true}) {
    HGru cell(CellOptions(4).kernel_size(3).timesteps(4).two_kernels(two_kernels));
    const auto w0 = cell->inhibition_kernel().clone();
    REQUIRE(channel_symmetric(cell->inhibition_kernel()));
    REQUIRE(channel_symmetric(cell->excitation_kernel()));

    torch::optim::SGD sgd(cell->parameters(),
                          torch::optim::SGDOptions(0.05).momentum(0.9).weight_decay(1e-2));
    train_steps(cell, sgd, 4);
    CHECK(channel_symmetric(cell->inhibition_kernel()));
    CHECK(channel_symmetric(cell->excitation_kernel()));

    torch::optim::AdamW adamw(cell->parameters(), torch::optim::AdamWOptions(1e-2).weight_decay(0.1));
    train_steps(cell, adamw, 4);
    CHECK(channel_symmetric(cell->inhibition_kernel()));
    CHECK(channel_symmetric(cell->excitation_kernel()));
    // The kernel did train (the check above is not vacuous) and is not symmetric by accident
    // of its shape: an asymmetric tensor of that shape fails the check.
    CHECK((cell->inhibition_kernel() - w0).abs().max().item<double>() > 1e-3);
    CHECK_FALSE(channel_symmetric(torch::randn_like(w0)));
  }
}

TEST_CASE("hGRU chronos gate biases: b2 = log U[1, T-1], b1 = -b2", "[recurrent]") {
  torch::manual_seed(2);
  const int64_t T = 8;
  HGru cell(CellOptions(2000).kernel_size(1).timesteps(T));
  const auto b2 = cell->mix_bias;
  const auto b1 = cell->gain_bias;
  CHECK(b2.min().item<double>() >= 0.0);
  CHECK(b2.max().item<double>() <= std::log(T - 1.0) + 1e-6);
  // Spread over the whole range, not stuck near one end (the ports' bug gives [1, 7]).
  CHECK(b2.max().item<double>() > std::log(T - 1.0) - 0.05);
  CHECK(b2.min().item<double>() < 0.05);
  // E[log u], u ~ U[1, 7] = (7 log 7 - 6) / 6.
  CHECK(b2.mean().item<double>() == Approx((7.0 * std::log(7.0) - 6.0) / 6.0).margin(0.03));
  CHECK(torch::equal(b1, -b2));
  // The mix gate starts by retaining the old state: sigma(b2) >= 0.5.
  CHECK(torch::sigmoid(b2).min().item<double>() >= 0.5);
}

TEST_CASE("hGRU one step matches the reference equations by hand", "[recurrent]") {
  HGru cell(CellOptions(1).kernel_size(1).timesteps(3));
  const double w = 0.7, u1 = -0.4, u2 = 0.9, b1 = 0.2, b2 = -0.3, alpha = 0.3, mu = 0.8, gamma = 1.5,
               kappa = 0.6, omega = -0.2, eta1 = 0.85;
  {
    torch::NoGradGuard no_grad;
    cell->w_inh.fill_(w);
    cell->u1.fill_(u1);
    cell->u2.fill_(u2);
    cell->gain_bias.fill_(b1);
    cell->mix_bias.fill_(b2);
    cell->alpha.fill_(alpha);
    cell->mu.fill_(mu);
    cell->gamma.fill_(gamma);
    cell->kappa.fill_(kappa);
    cell->omega.fill_(omega);
    cell->eta[1].fill_(eta1);
  }
  const double x = 0.5, h = -0.6;
  const auto out = cell->step(torch::full({1, 1, 1, 1}, x), torch::full({1, 1, 1, 1}, h), 1);

  const double g1 = sigmoid(u1 * h + b1);
  const double c1 = w * (g1 * h);
  const double h1 = std::tanh(x - (alpha * h + mu) * c1);
  const double g2 = sigmoid(u2 * h1 + b2);
  const double c2 = gamma * w * h1;
  const double candidate = std::tanh(kappa * (h1 + c2) + omega * (h1 * c2));
  const double expected = eta1 * (g2 * h + (1.0 - g2) * candidate);
  CHECK(out.item<double>() == Approx(expected).epsilon(1e-5));
}

TEST_CASE("hGRU lesions remove their terms", "[recurrent]") {
  struct Case {
    const char* name;
    CellOptions options;
    torch::Tensor HGruImpl::*parameter;
  };
  const auto base = CellOptions(3).kernel_size(3).timesteps(4).nonlinearity(Nonlinearity::softplus);
  const Case cases[] = {{"alpha", CellOptions(base).lesion_alpha(true), &HGruImpl::alpha},
                        {"mu", CellOptions(base).lesion_mu(true), &HGruImpl::mu},
                        {"kappa", CellOptions(base).lesion_kappa(true), &HGruImpl::kappa},
                        {"omega", CellOptions(base).lesion_omega(true), &HGruImpl::omega}};
  for (const auto& c : cases) {
    SECTION(c.name) {
      torch::manual_seed(3);
      const auto x = torch::randn({2, 3, 6, 6});
      for (const bool lesioned : {true, false}) {
        torch::manual_seed(4);
        HGru cell(lesioned ? c.options : base);
        auto& p = (*cell).*(c.parameter);
        const auto before = cell->forward(x, 3);
        {
          torch::NoGradGuard no_grad;
          p.add_(0.7);
        }
        const auto after = cell->forward(x, 3);
        after.sum().backward();
        if (lesioned) {
          CHECK(torch::equal(before, after));
          CHECK_FALSE(p.grad().defined());
        } else {
          // The intact cell does depend on the parameter and trains it.
          CHECK((before - after).abs().max().item<double>() > 1e-4);
          REQUIRE(p.grad().defined());
          CHECK(p.grad().abs().sum().item<double>() > 0.0);
        }
      }
    }
  }
}

TEST_CASE("hGRU batch norm keeps separate statistics per time step", "[recurrent]") {
  torch::manual_seed(5);
  HGru cell(CellOptions(3).kernel_size(3).timesteps(3).normalisation(StepNorm::batch));
  cell->train();
  cell->forward(torch::randn({4, 3, 6, 6}), 3);
  const auto buffers = cell->named_buffers();
  const auto m0 = buffers["norms.t0_1.running_mean"];
  const auto m1 = buffers["norms.t1_1.running_mean"];
  const auto m2 = buffers["norms.t2_1.running_mean"];
  // Step 0 starts from H = 0, so C1 = 0 and its running mean stays 0; later steps see real data.
  CHECK(m0.abs().max().item<double>() == 0.0);
  CHECK(m1.abs().max().item<double>() > 0.0);
  CHECK((m1 - m2).abs().max().item<double>() > 0.0);
}

TEST_CASE("hGRU nonlinearity option selects zeta", "[recurrent]") {
  for (const auto& [name, nl] :
       {std::pair{"relu", Nonlinearity::relu}, std::pair{"softplus", Nonlinearity::softplus},
        std::pair{"tanh", Nonlinearity::tanh}}) {
    CHECK(parse_nonlinearity(name) == nl);
  }
  // relu output of one step from H = 0 with X < 0 and the candidate clipped: non-negative.
  HGru cell(
      CellOptions(2).kernel_size(3).timesteps(2).nonlinearity(Nonlinearity::relu).step_scale(false));
  const auto out = cell->step(-torch::rand({1, 2, 5, 5}) - 0.1, torch::zeros({1, 2, 5, 5}), 0);
  CHECK(out.min().item<double>() >= 0.0);
  CHECK(out.abs().max().item<double>() == 0.0);  // H1 = relu(X) = 0, so the candidate is 0 too
}

}  // namespace ventral::recurrent
