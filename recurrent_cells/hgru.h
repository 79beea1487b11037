// hGRU: horizontal gated recurrent unit (Linsley, Kim, Veerabadran, Windolf, Serre, NeurIPS
// 2018, "Learning long-range spatial dependencies with horizontal gated recurrent units").
// Equations of the TF reference (serre-lab/hgru_share), docs/reference/recurrent.md 2.1:
//
//   G1 = sigma(N0(U1 * H) + b1)                     gain gate, U1 1x1
//   C1 = N1(W * (G1 .* H))                          horizontal inhibition
//   H1 = zeta(X - (alpha .* H + mu) .* C1)
//   G2 = sigma(N2(U2 * H1) + b2)                    mix gate, U2 1x1
//   C2 = N3(W * H1)                                 excitation, the SAME W (two_kernels: W_E)
//   H~ = zeta(kappa .* (H1 + gamma C2) + omega .* (H1 .* gamma C2))
//   H' = eta_t * (G2 .* H + (1 - G2) .* H~)         TF convention: G2 weights the OLD state
//
// N0..N3 are the optional per-step normalisations (identity by default); the gate bias is added
// after the normalisation so that chronos initialisation survives it. Chronos (TF sign
// convention): b2 = log(u), b1 = -log(u), u ~ U[1, T-1] per channel, so the mix gate starts by
// retaining the old state with time constants spread over 1..T-1.
// W is [K, K, k, k], channel-symmetric by a symmetric init plus a gradient hook (cell_options.h);
// zero ("SAME") padding. alpha = 0.1, mu = 1, gamma = 1, kappa = 0.5, omega = 0.5 initially
// (the PyTorch port's constants); W, U1, U2 Xavier; eta ~ U[0, 1).
#pragma once

#include <torch/nn/pimpl.h>

#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/recurrent_cell.h"
#include "recurrent_cells/step_norm.h"

namespace ventral::recurrent {

class HGruImpl : public RecurrentCellImpl {
 public:
  explicit HGruImpl(CellOptions options);
  void reset_parameters();

  torch::Tensor initial_state(const torch::Tensor& input) override;
  torch::Tensor step(const torch::Tensor& input, const torch::Tensor& state, int64_t t) override;

  /// The inhibition kernel W (the shared kernel unless two_kernels).
  const torch::Tensor& inhibition_kernel() const { return w_inh; }
  /// The excitation kernel (the same tensor as inhibition_kernel() unless two_kernels).
  const torch::Tensor& excitation_kernel() const { return options.two_kernels() ? w_exc : w_inh; }

  CellOptions options;
  torch::Tensor w_inh, w_exc;                    ///< [K, K, k, k]; w_exc only with two_kernels
  torch::Tensor u1, u2;                          ///< [K, K, 1, 1] gate kernels
  torch::Tensor gain_bias, mix_bias;             ///< [K] chronos biases b1, b2
  torch::Tensor alpha, mu, gamma, kappa, omega;  ///< [1, K, 1, 1]
  torch::Tensor eta;                             ///< [timesteps] per-step scale (only with step_scale)
  StepNorms norms{nullptr};
};
TORCH_MODULE(HGru);

}  // namespace ventral::recurrent
