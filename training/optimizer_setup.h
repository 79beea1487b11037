// Optimisers with timm's parameter grouping: weight decay applies to weights only, never
// to biases or normalisation parameters (every parameter with fewer than two dimensions,
// timm's param_groups_weight_decay rule), and the optimiser state in the layout of
// PyTorch's Optimizer.state_dict() so that checkpoints interoperate.
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <vector>

namespace ventral::training {

/// The optimiser names, in listing order: sgd, adamw.
const std::vector<std::string>& optimizer_names();

struct OptimizerOptions {
  std::string name = "sgd";  ///< sgd | adamw
  double lr = 0.05;
  double momentum = 0.9;
  bool nesterov = false;
  double weight_decay = 5e-4;
  double beta1 = 0.9, beta2 = 0.999, eps = 1e-8;
};

/// Two parameter groups: 0 with weight decay (tensors of 2+ dims), 1 without (biases, norms).
std::unique_ptr<torch::optim::Optimizer> make_optimizer(torch::nn::Module& model,
                                                        const OptimizerOptions& options);

/// Sets the learning rate of every group.
void set_learning_rate(torch::optim::Optimizer& optimizer, double lr);

/// PyTorch layout: {"state": {index: {"momentum_buffer": t} | {"step", "exp_avg", "exp_avg_sq"}},
///                  "param_groups": [{"lr", "weight_decay", ..., "params": [indices]}]},
/// parameters numbered across groups in order.
c10::IValue optimizer_state_dict(const torch::optim::Optimizer& optimizer, const std::string& name);

/// Restores the per-parameter state written by optimizer_state_dict. Throws Error when the
/// parameter count or a tensor shape differs.
void load_optimizer_state_dict(torch::optim::Optimizer& optimizer, const std::string& name,
                               const c10::IValue& state);

}  // namespace ventral::training
