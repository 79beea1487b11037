// ConvGRU baseline (Ballas et al. 2016, "Delving deeper into convolutional networks for
// learning video representations"), the convolutional GRU of Cho et al. 2014:
//
//   [z, r] = sigma(W_g * [X, H] + b_g)      z: update gate, r: reset gate
//   H~     = tanh(W_c * [X, r .* H] + b_c)
//   H'     = (1 - z) .* H + z .* H~
//
// Zero padding k/2; H_0 = 0; LibTorch's default Conv2d initialisation.
#pragma once

#include <torch/nn/modules/conv.h>
#include <torch/nn/pimpl.h>

#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/recurrent_cell.h"

namespace ventral::recurrent {

class ConvGruImpl : public RecurrentCellImpl {
 public:
  explicit ConvGruImpl(CellOptions options);
  torch::Tensor initial_state(const torch::Tensor& input) override;
  torch::Tensor step(const torch::Tensor& input, const torch::Tensor& state, int64_t t) override;

  CellOptions options;
  torch::nn::Conv2d gates{nullptr};      ///< in + C -> 2C (z first, then r)
  torch::nn::Conv2d candidate{nullptr};  ///< in + C -> C
};
TORCH_MODULE(ConvGru);

}  // namespace ventral::recurrent
