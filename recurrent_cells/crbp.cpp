#include "recurrent_cells/crbp.h"

#include <torch/autograd.h>
#include <torch/torch.h>

#include <cstdint>

namespace ventral::recurrent {
namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Identity on h_T in forward; in backward, replaces dL/dh_T by the truncated Neumann series.
struct NeumannBackward : public torch::autograd::Function<NeumannBackward> {
  static torch::Tensor forward(AutogradContext* ctx, const torch::Tensor& previous,
                               const torch::Tensor& last, int64_t num_iter, double max_norm,
                               double min_norm, int64_t stats_address) {
    ctx->save_for_backward({previous, last});
    ctx->saved_data["num_iter"] = num_iter;
    ctx->saved_data["max_norm"] = max_norm;
    ctx->saved_data["min_norm"] = min_norm;
    ctx->saved_data["stats"] = stats_address;
    return last.clone();
  }

  static variable_list backward(AutogradContext* ctx, variable_list grad_outputs) {
    const auto saved = ctx->get_saved_variables();
    const auto& previous = saved[0];
    const auto& last = saved[1];
    const int64_t num_iter = ctx->saved_data["num_iter"].toInt();
    const double max_norm = ctx->saved_data["max_norm"].toDouble();
    const double min_norm = ctx->saved_data["min_norm"].toDouble();
    auto* stats = reinterpret_cast<CrbpStats*>(static_cast<intptr_t>(ctx->saved_data["stats"].toInt()));

    const torch::Tensor g = grad_outputs[0];
    if (!g.defined())
      return {torch::Tensor(), torch::Tensor(), torch::Tensor(),
              torch::Tensor(), torch::Tensor(), torch::Tensor()};
    torch::Tensor acc = g.clone();
    torch::Tensor v = g;
    double v_norm_prev = g.norm().item<double>();
    const double g_norm = v_norm_prev;
    int64_t terms = 0;
    for (int64_t k = 0; k < num_iter; ++k) {
      auto grads = torch::autograd::grad({last}, {previous}, {v}, /*retain_graph=*/true,
                                         /*create_graph=*/false, /*allow_unused=*/true);
      if (!grads[0].defined()) break;  // the step does not depend on the state: J = 0
      const torch::Tensor v_next = grads[0];
      const double v_norm = v_next.norm().item<double>();
      const torch::Tensor candidate = acc + v_next;
      const double acc_norm = candidate.norm().item<double>();
      if (acc_norm > max_norm || v_norm > v_norm_prev || v_norm < min_norm) break;
      acc = candidate;
      v = v_next;
      v_norm_prev = v_norm;
      ++terms;
    }
    if (stats) *stats = CrbpStats{terms, g_norm, acc.norm().item<double>()};
    return {torch::Tensor(), acc, torch::Tensor(), torch::Tensor(), torch::Tensor(), torch::Tensor()};
  }
};

}  // namespace

Rollout bptt_rollout(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps) {
  check_steps(steps);
  auto h = cell.initial_state(input);
  torch::Tensor previous = h;
  for (int64_t t = 0; t < steps; ++t) {
    previous = h;
    h = cell.step(input, h, t);
  }
  return {h, previous, h};
}

Rollout crbp_rollout(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps,
                     const CrbpOptions& options) {
  check_steps(steps);
  torch::Tensor h;
  {
    torch::NoGradGuard no_grad;
    h = cell.initial_state(input);
    for (int64_t t = 0; t < steps - 1; ++t) h = cell.step(input, h, t);
  }
  if (!torch::GradMode::is_enabled()) {
    const auto last = cell.step(input, h, steps - 1);
    return {last, h, last};
  }
  const auto previous = h.detach().requires_grad_(true);
  const auto last = cell.step(input, previous, steps - 1);
  if (!last.requires_grad()) return {last, previous, last};
  const auto stats = static_cast<int64_t>(reinterpret_cast<intptr_t>(options.stats()));
  const auto state = NeumannBackward::apply(previous, last, options.num_iter(), options.max_norm(),
                                            options.min_norm(), stats);
  return {state, previous, last};
}

torch::Tensor crbp_fixed_point(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps,
                               const CrbpOptions& options) {
  return crbp_rollout(cell, input, steps, options).state;
}

torch::Tensor lipschitz_penalty(const Rollout& rollout, double lambda) {
  const auto& last = rollout.last;
  const auto& previous = rollout.previous;
  if (!last.requires_grad() || !previous.requires_grad()) {
    return torch::zeros({}, last.options().requires_grad(false));
  }
  auto u = torch::autograd::grad({last}, {previous}, {torch::ones_like(last)}, /*retain_graph=*/true,
                                 /*create_graph=*/true, /*allow_unused=*/true)[0];
  if (!u.defined()) return torch::zeros({}, last.options());
  return torch::relu(u - lambda).pow(2).sum();
}

}  // namespace ventral::recurrent
