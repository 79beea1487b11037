// A recurrent stage as the models use it: run a cell on a constant drive for T steps and
// return what the readout sees, recording every step's output when asked, and training by
// BPTT or C-RBP (crbp.h; the weighted Lipschitz penalty is returned as a loss term). One
// implementation for every model that holds a circuit (hmax-hgru, pathfinder-hgru, ...).
#pragma once

#include <torch/arg.h>
#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

#include "recurrent_cells/crbp.h"
#include "recurrent_cells/recurrent_cell.h"

namespace ventral::recurrent {

/// How a recurrent stage is trained: back-propagation through time, or contractor recurrent
/// back-propagation (constant memory in the steps, plus its Lipschitz penalty).
enum class RecurrentGrad { bptt, crbp };

/// Names of the values, for option readers: {"bptt", bptt}, {"crbp", crbp}.
std::vector<std::pair<std::string, RecurrentGrad>> recurrent_grad_names();

struct RecurrentStageOptions {
  /// Steps to unroll now (the model picks training or evaluation steps).
  TORCH_ARG(int64_t, steps) = 6;
  /// Gradient engine while training with grad mode on; evaluation always unrolls plainly.
  TORCH_ARG(RecurrentGrad, grad) = RecurrentGrad::bptt;
  /// C-RBP's series and penalty settings (lambda, weight); used with grad = crbp.
  TORCH_ARG(CrbpOptions, crbp) = {};
  /// Keep every step's output (per-step layers such as c1@t3); unrolls with a graph.
  TORCH_ARG(bool, record_steps) = false;
};

struct RecurrentStageResult {
  /// output(h_T): what the next stage reads.
  torch::Tensor output;
  /// output(h_1) .. output(h_T) when record_steps, else empty.
  std::vector<torch::Tensor> step_outputs;
  /// lipschitz_weight * penalty of a C-RBP training pass; undefined otherwise.
  torch::Tensor penalty;
};

/// Runs `cell` on `drive` as `options` say. C-RBP applies only when the cell is training and
/// grad mode is on; recording steps always takes the plain unroll (BPTT-shaped graph).
RecurrentStageResult run_recurrent_stage(RecurrentCellImpl& cell, const torch::Tensor& drive,
                                         const RecurrentStageOptions& options);

}  // namespace ventral::recurrent
