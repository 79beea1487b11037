// Training engines for recurrent cells: BPTT (plain unroll) and C-RBP, contractor recurrent
// back-propagation (Linsley, Ashok, Govindarajan, Liu, Serre, NeurIPS 2020; reference code
// c-rbp/pathfinder_experiments:models/hgrucleanSEG.py), plus the Lipschitz-constant penalty.
// docs/reference/recurrent.md section 4.
//
// C-RBP: h_1..h_{T-1} without a graph (memory O(1) in T), one step h_T = F(x, h_{T-1}) with a
// graph, and an autograd node on h_T that replaces the incoming gradient g by the truncated
// Neumann series g (I - J)^-1 ~ sum_k g J^k, J = dF/dh at h_{T-1}, computed with
// vector-Jacobian products. Stopping rules (reference): after adding v_k, stop and keep the
// previous sum if ||sum|| > max_norm (1), if ||v_k|| > ||v_{k-1}||, or if ||v_k|| < min_norm
// (1e-9); at most num_iter (15) terms. Autograd then continues through the one stored step into
// the parameters and the input, so `loss.backward()` gives the RBP gradient.
//
// LCP: u = 1^T J (a VJP with ones, create_graph), penalty = sum relu(u - lambda)^2,
// lambda = 0.9, added to the loss with weight 10. It makes F contractive so the series
// converges; it needs double back-prop and is meant for training only.
#pragma once

#include <torch/arg.h>
#include <torch/types.h>

#include "recurrent_cells/recurrent_cell.h"

namespace ventral::recurrent {

/// What the last C-RBP backward did (for tests and logging).
struct CrbpStats {
  int64_t terms = 0;          ///< Neumann terms kept after g itself (0..num_iter)
  double gradient_norm = 0;   ///< ||g||, the incoming gradient
  double corrected_norm = 0;  ///< ||sum||, the gradient passed on
};

/// (A named pointer type: TORCH_ARG spells `const type&`.)
using CrbpStatsPointer = CrbpStats*;

struct CrbpOptions {
  /// Maximum number of Neumann terms (VJPs) after g.
  TORCH_ARG(int64_t, num_iter) = 15;
  /// Stop (keeping the previous sum) when the sum's norm exceeds this.
  TORCH_ARG(double, max_norm) = 1.0;
  /// Stop (keeping the previous sum) when a term's norm falls below this.
  TORCH_ARG(double, min_norm) = 1e-9;
  /// Lipschitz penalty threshold lambda.
  TORCH_ARG(double, lipschitz_lambda) = 0.9;
  /// Weight of the penalty in the loss (loss = task + weight * penalty).
  TORCH_ARG(double, lipschitz_weight) = 10.0;
  /// If set, the backward pass writes its statistics here (must outlive backward()).
  TORCH_ARG(CrbpStatsPointer, stats) = nullptr;
};

/// A rollout's result. `state` is h_T, the tensor to compute the loss from (through
/// cell.output()). `previous` is h_{T-1} and `last` is h_T as the cell computed it from
/// `previous`, the pair the Lipschitz penalty differentiates.
struct Rollout {
  torch::Tensor state;
  torch::Tensor previous;
  torch::Tensor last;
};

/// BPTT: the plain unroll with a graph through all `steps` (memory grows with steps).
/// Throws ventral::Error if steps <= 0.
Rollout bptt_rollout(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps);

/// C-RBP rollout (see above). Without grad mode it is a plain no-grad rollout.
/// Throws ventral::Error if steps <= 0.
Rollout crbp_rollout(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps,
                     const CrbpOptions& options = {});

/// crbp_rollout(...).state: h_T with the C-RBP backward attached.
torch::Tensor crbp_fixed_point(RecurrentCellImpl& cell, const torch::Tensor& input, int64_t steps,
                               const CrbpOptions& options = {});
inline torch::Tensor crbp_fixed_point(RecurrentCell& cell, const torch::Tensor& input, int64_t steps,
                                      const CrbpOptions& options = {}) {
  return crbp_fixed_point(*cell, input, steps, options);
}

/// Unweighted Lipschitz penalty sum relu(1^T J - lambda)^2 of the rollout's last step, built
/// with create_graph so it can be back-propagated (into the parameters and the input).
/// Zero when the cell does not depend on its state (J = 0).
torch::Tensor lipschitz_penalty(const Rollout& rollout, double lambda = 0.9);

}  // namespace ventral::recurrent
