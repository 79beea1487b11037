// Options shared by every recurrent cell (hGRU, fGRU, ConvGRU, ConvLSTM) and the small
// helpers they have in common: nonlinearities, chronos gate-bias initialisation and the
// channel-symmetric horizontal kernel (init + gradient hook).
// Reference: docs/reference/recurrent.md, sections 2.2 and 2.3.
#pragma once

#include <torch/arg.h>
#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

#include "recurrent_cells/fft_conv.h"

namespace ventral::recurrent {

/// zeta in the hGRU equations (tanh in the TF reference, ReLU in the PyTorch ports,
/// softplus in the C-RBP Pathfinder runs).
enum class Nonlinearity { tanh, relu, softplus };
/// Normalisation applied per time step to the two gate pre-activations and the two
/// horizontal drives (C1, C2); each step has its own modules (batch: its own statistics).
enum class StepNorm { none, batch, instance };
/// State at t = 0: zeros, Xavier-normal noise (TF hGRU) or the input itself (fGRU).
enum class HiddenInit { zero, random, identity };

/// Names of the values, for option readers ({"tanh", Nonlinearity::tanh}, ...).
std::vector<std::pair<std::string, Nonlinearity>> nonlinearity_names();
std::vector<std::pair<std::string, StepNorm>> step_norm_names();

/// Parses "tanh" | "relu" | "softplus" (throws ventral::Error naming the value).
Nonlinearity parse_nonlinearity(const std::string& name);
/// Parses "none" | "batch" | "instance".
StepNorm parse_step_norm(const std::string& name);
/// Parses "zero" | "random" | "identity".
HiddenInit parse_hidden_init(const std::string& name);

struct CellOptions {
  explicit CellOptions(int64_t channels) : channels_(channels) {}
  /// Hidden (state) channels. hGRU and fGRU: the input must have this many channels too.
  TORCH_ARG(int64_t, channels);
  /// Input channels of ConvGRU/ConvLSTM; 0 means `channels`. hGRU/fGRU require 0 or `channels`.
  TORCH_ARG(int64_t, input_channels) = 0;
  /// Horizontal (hGRU/fGRU) or recurrent (ConvGRU/ConvLSTM) kernel side; must be odd.
  TORCH_ARG(int64_t, kernel_size) = 5;
  /// Planned number of steps T: chronos range U[1, T-1], count of per-step scales and norms.
  /// Steps beyond T reuse the last step's scale and norm.
  TORCH_ARG(int64_t, timesteps) = 8;
  /// hGRU/fGRU nonlinearity (hGRU default tanh as in the TF reference).
  TORCH_ARG(Nonlinearity, nonlinearity) = Nonlinearity::tanh;
  /// hGRU/fGRU per-step normalisation (default none).
  TORCH_ARG(StepNorm, normalisation) = StepNorm::none;
  /// hGRU/fGRU state at t = 0 (default zero; ConvGRU/ConvLSTM always start at zero).
  TORCH_ARG(HiddenInit, hidden_init) = HiddenInit::zero;
  /// hGRU: separate inhibition and excitation kernels (PyTorch port) instead of one shared W.
  TORCH_ARG(bool, two_kernels) = false;
  /// hGRU: how the horizontal convolutions are computed (same result to float round-off):
  /// directly, by FFT, or automatically (FFT from 13x13 kernels up; fft_conv.h).
  TORCH_ARG(ConvMethod, conv_method) = ConvMethod::automatic;
  /// hGRU: the learned per-step scalar eta_t (TF reference "adaptation"); off makes the
  /// step map time-invariant, which C-RBP's fixed point assumes.
  TORCH_ARG(bool, step_scale) = true;
  /// hGRU/fGRU lesions: each removes its term from the equations (the parameter stays in the
  /// state dict, is not used, and does not require grad).
  TORCH_ARG(bool, lesion_alpha) = false;
  TORCH_ARG(bool, lesion_mu) = false;
  TORCH_ARG(bool, lesion_kappa) = false;
  TORCH_ARG(bool, lesion_omega) = false;
};

/// Throws ventral::Error (one line, naming cell, field and value) when `options` are invalid
/// for the cell `cell_name`: non-positive channels or timesteps, an even or non-positive
/// kernel, input channels != channels for hgru/fgru.
void check_cell_options(const std::string& cell_name, const CellOptions& options);

/// The hGRU/fGRU suppression factor (alpha H + mu) with lesioned terms dropped; undefined
/// when both alpha and mu are lesioned (the cell then has no inhibition).
torch::Tensor suppression_factor(const CellOptions& options, const torch::Tensor& alpha,
                                 const torch::Tensor& mu, const torch::Tensor& h);

/// The hGRU/fGRU excitation drive kappa (H1 + C2) + omega (H1 * C2) with lesioned terms dropped
/// (zeros when both are).
torch::Tensor excitation_drive(const CellOptions& options, const torch::Tensor& kappa,
                               const torch::Tensor& omega, const torch::Tensor& h1,
                               const torch::Tensor& c2);

/// Applies `nonlinearity` element-wise.
torch::Tensor apply_nonlinearity(Nonlinearity nonlinearity, const torch::Tensor& x);

/// Chronos time constants: log(u), u ~ U[1, max(T-1, 1)], one per channel, shape [channels].
/// Values lie in [0, log(T-1)]. (The PyTorch ports call the non-in-place `.log()` and keep
/// u itself, i.e. [1, T-1]; here the log is taken in place.)
torch::Tensor chronos_log_time_constants(int64_t channels, int64_t timesteps);

/// Makes a [out, in, k, k] kernel channel-symmetric, W <- (W + W^T)/2 over (out, in), under
/// NoGradGuard, and registers a gradient hook dW <- (dW + dW^T)/2 (TF SymmetricConv).
/// Element-wise optimisers (SGD with momentum and weight decay, Adam, AdamW) then keep W
/// exactly symmetric. Hooks are not copied by Module::clone().
void make_channel_symmetric(torch::Tensor& weight);

/// Builds the state at t = 0 for `input` ([N, C, H, W]).
torch::Tensor make_hidden_init(HiddenInit init, const torch::Tensor& input);

}  // namespace ventral::recurrent
