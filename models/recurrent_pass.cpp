#include "models/recurrent_pass.h"

#include <fmt/format.h>

#include <vector>

namespace ventral::models {

torch::Tensor run_recurrent_pass(recurrent::RecurrentCellImpl& cell, const torch::Tensor& drive,
                                 recurrent::RecurrentStageOptions options,
                                 const RecurrentPassNames& names, ForwardPass& pass) {
  std::vector<std::string> step_layers;
  bool record = false;
  for (int64_t k = 1; k <= options.steps(); ++k) {
    step_layers.push_back(fmt::format("{}{}{}", names.step_prefix, k, names.step_suffix));
    record = record || pass.wants(step_layers.back());
  }
  auto stage = recurrent::run_recurrent_stage(cell, drive, options.record_steps(record));
  for (std::size_t k = 0; k < stage.step_outputs.size(); ++k)
    pass.keep(step_layers[k], stage.step_outputs[k]);
  if (stage.penalty.defined()) pass.add_loss_term(names.penalty, stage.penalty);
  return stage.output;
}

}  // namespace ventral::models
