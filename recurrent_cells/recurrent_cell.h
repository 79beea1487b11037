// The one interface every recurrent cell implements (hGRU, fGRU, ConvGRU, ConvLSTM), so that
// unrolling, BPTT and C-RBP (crbp.h) work on any of them.
//
// Time indexing: step t (0-based) maps state h_t to h_{t+1}; `unroll(x, T)` returns
// {h_1, ..., h_T}, i.e. element t is the state after t + 1 steps. The input is constant
// over time (feed-forward drive X).
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <vector>

namespace ventral::recurrent {

class RecurrentCellImpl : public torch::nn::Module {
 public:
  /// State h_0 for `input` [N, C_in, H, W] (zeros, noise or the input, depending on the cell).
  virtual torch::Tensor initial_state(const torch::Tensor& input) = 0;
  /// One step: h_{t+1} = F(input, h_t) at step index `t` (selects per-step scales and norms;
  /// indices >= timesteps reuse the last one).
  virtual torch::Tensor step(const torch::Tensor& input, const torch::Tensor& state, int64_t t) = 0;
  /// What a readout sees of a state (ConvLSTM packs (h, c) along channels and returns h).
  virtual torch::Tensor output(const torch::Tensor& state) { return state; }
  /// Every step's state, {h_1, ..., h_steps}; throws ventral::Error if steps <= 0.
  std::vector<torch::Tensor> unroll(const torch::Tensor& input, int64_t steps);
  /// output(h_steps).
  torch::Tensor forward(const torch::Tensor& input, int64_t steps);
};
TORCH_MODULE(RecurrentCell);

/// Throws ventral::Error unless steps > 0.
void check_steps(int64_t steps);

}  // namespace ventral::recurrent
