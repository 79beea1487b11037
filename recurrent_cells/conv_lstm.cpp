#include "recurrent_cells/conv_lstm.h"

#include <torch/torch.h>

namespace ventral::recurrent {

ConvLstmImpl::ConvLstmImpl(CellOptions opts) : options(std::move(opts)) {
  check_cell_options("convlstm", options);
  const int64_t c = options.channels();
  const int64_t in = options.input_channels() > 0 ? options.input_channels() : c;
  const int64_t k = options.kernel_size();
  gates = register_module("gates",
                          torch::nn::Conv2d(torch::nn::Conv2dOptions(in + c, 4 * c, k).padding(k / 2)));
}

torch::Tensor ConvLstmImpl::initial_state(const torch::Tensor& input) {
  return torch::zeros({input.size(0), 2 * options.channels(), input.size(2), input.size(3)},
                      input.options());
}

torch::Tensor ConvLstmImpl::output(const torch::Tensor& state) {
  return state.narrow(1, 0, options.channels());
}

torch::Tensor ConvLstmImpl::memory(const torch::Tensor& state) const {
  return state.narrow(1, options.channels(), options.channels());
}

torch::Tensor ConvLstmImpl::step(const torch::Tensor& x, const torch::Tensor& state, int64_t /*t*/) {
  const auto h = output(state);
  const auto c = memory(state);
  const auto g = gates->forward(torch::cat({x, h}, 1)).chunk(4, 1);
  const auto c_next = torch::sigmoid(g[1]) * c + torch::sigmoid(g[0]) * torch::tanh(g[3]);
  const auto h_next = torch::sigmoid(g[2]) * torch::tanh(c_next);
  return torch::cat({h_next, c_next}, 1);
}

}  // namespace ventral::recurrent
