#include "recurrent_cells/crbp.h"

#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "common/error.h"
#include "recurrent_cells/hgru.h"
#include "tests/recurrent/test_util.h"

namespace ventral::recurrent {
namespace {

// An hGRU made strongly contractive: small horizontal kernel, mix gate mostly open to the
// candidate, weak facilitation. No per-step scale, so the step map is time-invariant.
HGru contractive_hgru() {
  torch::manual_seed(10);
  HGru cell(CellOptions(3).kernel_size(3).timesteps(8).step_scale(false));
  torch::NoGradGuard no_grad;
  cell->w_inh.mul_(0.3);
  cell->mix_bias.fill_(-1.5);
  cell->kappa.fill_(0.3);
  cell->omega.fill_(0.2);
  return cell;
}

// The same architecture far from a contraction: large kernel, strong facilitation.
HGru expansive_hgru() {
  torch::manual_seed(11);
  HGru cell(CellOptions(3).kernel_size(3).timesteps(8).step_scale(false));
  torch::NoGradGuard no_grad;
  cell->w_inh.mul_(6.0);
  cell->mix_bias.fill_(-3.0);
  cell->kappa.fill_(2.0);
  cell->omega.fill_(2.0);
  return cell;
}

struct Gradients {
  torch::Tensor input;
  std::map<std::string, torch::Tensor> parameters;
};

template <typename Rollout>
Gradients gradients(HGru& cell, const torch::Tensor& x0, const torch::Tensor& r, Rollout rollout) {
  cell->zero_grad();
  const auto x = x0.clone().requires_grad_(true);
  const auto state = rollout(x);
  // Scaled so that ||dL/dh|| < 1: the reference's first stopping rule (||sum|| > 1) must not fire.
  (1e-2 * (state * r).sum()).backward();
  Gradients g{x.grad().clone(), {}};
  for (const auto& p : cell->named_parameters()) g.parameters[p.key()] = p.value().grad().clone();
  return g;
}

}  // namespace

TEST_CASE("C-RBP gradient matches BPTT at the fixed point of a contractive hGRU", "[recurrent]") {
  auto cell = contractive_hgru();
  torch::manual_seed(12);
  const auto x = torch::randn({2, 3, 8, 8});
  const auto r = torch::randn({2, 3, 8, 8});
  const int64_t steps = 40;

  // The rollout has converged: the last step barely moves the state.
  {
    torch::NoGradGuard no_grad;
    const auto states = cell->unroll(x, steps);
    const double moved = (states[steps - 1] - states[steps - 2]).norm().item<double>();
    REQUIRE(moved < 1e-5 * states[steps - 1].norm().item<double>());
  }

  CrbpStats stats;
  const auto bptt = gradients(cell, x, r, [&](const torch::Tensor& in) {
    return bptt_rollout(*cell, in, steps).state;
  });
  const auto crbp = gradients(cell, x, r, [&](const torch::Tensor& in) {
    return crbp_fixed_point(*cell, in, steps, CrbpOptions().stats(&stats));
  });
  CHECK(stats.terms >= 3);  // the Neumann series did run
  CHECK(stats.corrected_norm > stats.gradient_norm * 0.5);

  CHECK(test::cosine(crbp.input, bptt.input) >= 0.99);
  std::vector<torch::Tensor> all_bptt, all_crbp;
  double largest = 0.0;
  for (const auto& [name, g] : bptt.parameters) largest = std::max(largest, g.norm().item<double>());
  for (const auto& [name, g] : bptt.parameters) {
    INFO("parameter " << name);
    const auto& c = crbp.parameters.at(name);
    all_bptt.push_back(g.flatten());
    all_crbp.push_back(c.flatten());
    if (g.norm().item<double>() > 1e-6 * largest) {
      CHECK(test::cosine(c, g) >= 0.99);
    } else {
      // The mix gate (U2, b2) has no gradient at a fixed point: there H = H~, so G2 does not
      // move it. Both engines agree that it is ~0.
      CHECK(c.norm().item<double>() < 1e-6 * largest);
    }
  }
  CHECK(test::cosine(torch::cat(all_crbp), torch::cat(all_bptt)) >= 0.99);

  // Without the Neumann correction (num_iter = 0: one-step truncated gradient) the input
  // gradient is clearly different, so the agreement above is the series' doing.
  const auto truncated = gradients(cell, x, r, [&](const torch::Tensor& in) {
    return crbp_fixed_point(*cell, in, steps, CrbpOptions().num_iter(0));
  });
  CHECK(test::cosine(truncated.input, bptt.input) < test::cosine(crbp.input, bptt.input));
}

TEST_CASE("C-RBP forward equals the plain rollout; eval mode needs no graph", "[recurrent]") {
  auto cell = contractive_hgru();
  const auto x = torch::randn({1, 3, 6, 6});
  const auto plain = cell->unroll(x, 7).back();
  CHECK(torch::allclose(crbp_fixed_point(*cell, x, 7), plain));
  torch::NoGradGuard no_grad;
  const auto eval = crbp_fixed_point(*cell, x, 7);
  CHECK_FALSE(eval.requires_grad());
  CHECK(torch::allclose(eval, plain));
}

TEST_CASE("Lipschitz penalty is zero for a contraction and positive otherwise", "[recurrent]") {
  const auto x = torch::randn({2, 3, 8, 8});
  {
    auto cell = contractive_hgru();
    const auto rollout = crbp_rollout(*cell, x, 20);
    // 1^T J, the quantity the penalty thresholds, is below lambda everywhere.
    const auto u = torch::autograd::grad({rollout.last}, {rollout.previous},
                                         {torch::ones_like(rollout.last)}, true)[0];
    CHECK(u.max().item<double>() < 0.9);
    CHECK(lipschitz_penalty(rollout).item<double>() == 0.0);
  }
  {
    auto cell = expansive_hgru();
    for (const bool use_crbp : {true, false}) {
      cell->zero_grad();
      const auto rollout = use_crbp ? crbp_rollout(*cell, x, 6) : bptt_rollout(*cell, x, 6);
      const auto penalty = lipschitz_penalty(rollout, 0.9);
      CHECK(penalty.item<double>() > 0.0);
      // It is a training loss: double back-prop reaches the horizontal kernel.
      (10.0 * penalty).backward();
      CHECK(cell->w_inh.grad().abs().sum().item<double>() > 0.0);
    }
  }
}

TEST_CASE("C-RBP and BPTT reject non-positive steps", "[recurrent]") {
  HGru cell(CellOptions(2).kernel_size(3));
  const auto x = torch::randn({1, 2, 4, 4});
  CHECK_THROWS_AS(crbp_fixed_point(*cell, x, 0), ventral::Error);
  CHECK_THROWS_AS(bptt_rollout(*cell, x, -1), ventral::Error);
  CHECK_THROWS_AS(cell->unroll(x, 0), ventral::Error);
}

}  // namespace ventral::recurrent
