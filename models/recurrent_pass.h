// A recurrent stage run inside a model's forward pass (recurrent_cells/recurrent_stage.h
// does the unrolling): the per-step layers ("h@t3", "c1@t3/0") are recorded only when the
// pass asks for one of them, and C-RBP's Lipschitz penalty becomes a named loss term.
// hmax-hgru (once per band) and pathfinder-hgru share it.
#pragma once

#include <torch/types.h>

#include <string>

#include "models/vision_model.h"
#include "recurrent_cells/recurrent_stage.h"

namespace ventral::models {

/// Layer and loss-term names of one recurrent stage.
struct RecurrentPassNames {
  std::string step_prefix;  ///< step k's layer is step_prefix + k + step_suffix
  std::string step_suffix;
  std::string penalty;  ///< loss-term name of C-RBP's penalty
};

/// Runs `cell` on `drive` for options.steps() steps and returns output(h_T); keeps the
/// step layers the pass wants and adds the penalty (when there is one) to the pass.
torch::Tensor run_recurrent_pass(recurrent::RecurrentCellImpl& cell, const torch::Tensor& drive,
                                 recurrent::RecurrentStageOptions options,
                                 const RecurrentPassNames& names, ForwardPass& pass);

}  // namespace ventral::models
