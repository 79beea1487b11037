// Per-time-step normalisation for the hGRU/fGRU: `slots` normalisation points per step
// (gate 1, C1, gate 2, C2), each step with its own BatchNorm2d (own running statistics) or
// affine InstanceNorm2d, weight initialised to 0.1 and eps 1e-3 as in the PyTorch ports.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/instancenorm.h>
#include <torch/nn/pimpl.h>

#include <vector>

#include "layers/batch_norm.h"
#include "recurrent_cells/cell_options.h"

namespace ventral::recurrent {

class StepNormsImpl : public torch::nn::Module {
 public:
  StepNormsImpl(StepNorm kind, int64_t channels, int64_t timesteps, int64_t slots);
  /// Normalises `x` with the module of (step t, slot); t >= timesteps uses the last step.
  /// Identity when the kind is none.
  torch::Tensor forward(const torch::Tensor& x, int64_t t, int64_t slot);

 private:
  StepNorm kind_;
  int64_t timesteps_;
  int64_t slots_;
  std::vector<layers::BatchNorm2d> batch_;
  std::vector<torch::nn::InstanceNorm2d> instance_;
};
TORCH_MODULE(StepNorms);

}  // namespace ventral::recurrent
