#include "recurrent_cells/conv_gru.h"

#include <torch/torch.h>

namespace ventral::recurrent {

ConvGruImpl::ConvGruImpl(CellOptions opts) : options(std::move(opts)) {
  check_cell_options("convgru", options);
  const int64_t c = options.channels();
  const int64_t in = options.input_channels() > 0 ? options.input_channels() : c;
  const int64_t k = options.kernel_size();
  gates = register_module("gates",
                          torch::nn::Conv2d(torch::nn::Conv2dOptions(in + c, 2 * c, k).padding(k / 2)));
  candidate = register_module("candidate",
                              torch::nn::Conv2d(torch::nn::Conv2dOptions(in + c, c, k).padding(k / 2)));
}

torch::Tensor ConvGruImpl::initial_state(const torch::Tensor& input) {
  return torch::zeros({input.size(0), options.channels(), input.size(2), input.size(3)},
                      input.options());
}

torch::Tensor ConvGruImpl::step(const torch::Tensor& x, const torch::Tensor& h, int64_t /*t*/) {
  const auto zr = torch::sigmoid(gates->forward(torch::cat({x, h}, 1))).chunk(2, 1);
  const auto& z = zr[0];
  const auto& r = zr[1];
  const auto h_new = torch::tanh(candidate->forward(torch::cat({x, r * h}, 1)));
  return (1.0 - z) * h + z * h_new;
}

}  // namespace ventral::recurrent
