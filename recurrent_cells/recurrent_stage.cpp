#include "recurrent_cells/recurrent_stage.h"

#include <torch/autograd.h>

namespace ventral::recurrent {

std::vector<std::pair<std::string, RecurrentGrad>> recurrent_grad_names() {
  return {{"bptt", RecurrentGrad::bptt}, {"crbp", RecurrentGrad::crbp}};
}

RecurrentStageResult run_recurrent_stage(RecurrentCellImpl& cell, const torch::Tensor& drive,
                                         const RecurrentStageOptions& options) {
  RecurrentStageResult result;
  const int64_t steps = options.steps();
  if (options.record_steps()) {
    auto states = cell.unroll(drive, steps);
    for (const auto& state : states) result.step_outputs.push_back(cell.output(state));
    result.output = result.step_outputs.back();
  } else if (options.grad() == RecurrentGrad::crbp && cell.is_training() &&
             torch::GradMode::is_enabled()) {
    const auto& crbp = options.crbp();
    auto rollout = crbp_rollout(cell, drive, steps, crbp);
    result.penalty = lipschitz_penalty(rollout, crbp.lipschitz_lambda()) * crbp.lipschitz_weight();
    result.output = cell.output(rollout.state);
  } else {
    result.output = cell.forward(drive, steps);
  }
  return result;
}

}  // namespace ventral::recurrent
