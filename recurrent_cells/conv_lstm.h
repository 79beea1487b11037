// ConvLSTM baseline (Shi et al., NeurIPS 2015, "Convolutional LSTM network"), without
// peephole connections:
//
//   [i, f, o, g] = W * [X, H] + b           one convolution, gates in this order
//   C' = sigma(f) .* C + sigma(i) .* tanh(g)
//   H' = sigma(o) .* tanh(C')
//
// The state packs (H, C) along channels, [N, 2C, H, W], H first; output(state) returns H.
// Zero padding k/2; state 0 at t = 0; LibTorch's default Conv2d initialisation.
#pragma once

#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/recurrent_cell.h"

namespace ventral::recurrent {

class ConvLstmImpl : public RecurrentCellImpl {
 public:
  explicit ConvLstmImpl(CellOptions options);
  torch::Tensor initial_state(const torch::Tensor& input) override;
  torch::Tensor step(const torch::Tensor& input, const torch::Tensor& state, int64_t t) override;
  /// H, the first `channels` channels of the packed state.
  torch::Tensor output(const torch::Tensor& state) override;
  /// C, the cell memory.
  torch::Tensor memory(const torch::Tensor& state) const;

  CellOptions options;
  torch::nn::Conv2d gates{nullptr};  ///< in + C -> 4C (i, f, o, g)
};
TORCH_MODULE(ConvLstm);

}  // namespace ventral::recurrent
