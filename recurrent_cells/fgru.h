// fGRU cells of gamma-Net (Linsley, Kim, Ashok, Serre, ICLR 2020, "Recurrent neural circuits
// for contour detection"; serre-lab/gammanet_pytorch:layers/fgru_base.py fGRUCell2 and
// fGRUCell2_td). docs/reference/recurrent.md 3.1-3.2. With N the per-step
// normalisation (the reference uses affine InstanceNorm, weight 0.1) and f the nonlinearity:
//
//   G1 = sigma(N0(U1 * H) + b1)                     U1 1x1 (the GALA attention gate is not built)
//   C1 = N1(W_I * (H .* G1))                        reflect padding
//   H1 = f(X - f((alpha H + mu) .* C1))
//   G2 = sigma(N2(U2 * H1) + b2)
//   C2 = N3(W_E * H1)
//   H~ = f(kappa (H1 + C2) + omega (H1 .* C2))
//   horizontal: H' = (1 - G2) .* H + G2 .* H~       (PyTorch convention: G2 weights the NEW state)
//   top-down:   X = H_low, H = U(H_high),  H_low' = (1 - G2) .* H_low + G2 .* H~ (+ H_low)
//
// Chronos (PyTorch convention): b1 = log(u), b2 = -b1, u ~ U[1, T-1]. W_I and W_E are separate,
// orthogonally initialised and not symmetrised (the reference's hook is commented out).
// alpha = 0.1, mu = 1, kappa = 0.5, omega = 0.5 initially. The reference configuration is
// `fgru_reference_options()`: ReLU, instance norm, identity hidden init.
#pragma once

#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/pimpl.h>

#include <utility>

#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/recurrent_cell.h"
#include "recurrent_cells/step_norm.h"

namespace ventral::recurrent {

/// CellOptions as in gamma-Net: ReLU, per-step instance norm, H_0 = X.
CellOptions fgru_reference_options(int64_t channels, int64_t kernel_size, int64_t timesteps);

/// The shared fGRU circuit: returns (G2, H~) for drive X and hidden H at step t.
class FGruCircuitImpl : public torch::nn::Module {
 public:
  explicit FGruCircuitImpl(CellOptions options);
  void reset_parameters();
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& x, const torch::Tensor& h,
                                                  int64_t t);

  CellOptions options;
  torch::Tensor w_inh, w_exc, u1, u2, gain_bias, mix_bias, alpha, mu, kappa, omega;
  StepNorms norms{nullptr};
};
TORCH_MODULE(FGruCircuit);

/// Horizontal fGRU (fGRUCell2).
class FGruImpl : public RecurrentCellImpl {
 public:
  explicit FGruImpl(CellOptions options);
  torch::Tensor initial_state(const torch::Tensor& input) override;
  torch::Tensor step(const torch::Tensor& input, const torch::Tensor& state, int64_t t) override;

  CellOptions options;
  FGruCircuit circuit{nullptr};
};
TORCH_MODULE(FGru);

struct FGruTopDownOptions {
  FGruTopDownOptions(int64_t low_channels, int64_t high_channels)
      : low_channels_(low_channels), high_channels_(high_channels) {}
  /// Channels of the lower layer's state (the cell's "input" and output).
  TORCH_ARG(int64_t, low_channels);
  /// Channels of the higher layer's state (upsampled and projected to low_channels).
  TORCH_ARG(int64_t, high_channels);
  /// fGRU kernel side (gamma-Net uses 1 for the top-down cells); odd.
  TORCH_ARG(int64_t, kernel_size) = 1;
  TORCH_ARG(int64_t, timesteps) = 8;
  TORCH_ARG(StepNorm, normalisation) = StepNorm::instance;
  TORCH_ARG(Nonlinearity, nonlinearity) = Nonlinearity::relu;
  /// Adds H_low after the gate (gamma-Net's skip_horizontal = True).
  TORCH_ARG(bool, residual) = true;
};

/// Top-down fGRU (fGRUCell2_td) with its upsampling block U: bilinear resize to H_low's size
/// -> InstanceNorm -> 1x1 conv -> ReLU -> 1x1 conv -> ReLU.
class FGruTopDownImpl : public torch::nn::Module {
 public:
  explicit FGruTopDownImpl(FGruTopDownOptions options);
  /// New lower state from h_low [N, low, H, W] and h_high [N, high, h, w] at step t.
  torch::Tensor forward(const torch::Tensor& h_low, const torch::Tensor& h_high, int64_t t);
  /// U(h_high) resized to `like`'s spatial size.
  torch::Tensor upsample(const torch::Tensor& h_high, const torch::Tensor& like);

  FGruTopDownOptions options;
  torch::nn::InstanceNorm2d up_norm{nullptr};
  torch::nn::Conv2d up_conv1{nullptr}, up_conv2{nullptr};
  FGruCircuit circuit{nullptr};
};
TORCH_MODULE(FGruTopDown);

}  // namespace ventral::recurrent
