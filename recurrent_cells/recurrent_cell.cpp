#include "recurrent_cells/recurrent_cell.h"

#include "common/error.h"

namespace ventral::recurrent {

void check_steps(int64_t steps) {
  if (steps <= 0) fail("recurrent steps must be positive, got {}", steps);
}

std::vector<torch::Tensor> RecurrentCellImpl::unroll(const torch::Tensor& input, int64_t steps) {
  check_steps(steps);
  std::vector<torch::Tensor> states;
  states.reserve(static_cast<size_t>(steps));
  auto h = initial_state(input);
  for (int64_t t = 0; t < steps; ++t) {
    h = step(input, h, t);
    states.push_back(h);
  }
  return states;
}

torch::Tensor RecurrentCellImpl::forward(const torch::Tensor& input, int64_t steps) {
  return output(unroll(input, steps).back());
}

}  // namespace ventral::recurrent
