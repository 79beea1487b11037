// The one surface every ventral model offers (STYLE.md, point 4): `forward` gives the
// model's output, `features` gives named intermediate layers, `layer_names` lists
// them. Training, alignment and neural fitting use only this interface.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <map>
#include <string>
#include <utility>
#include <vector>

namespace ventral::hmax {

/// Named layer outputs in request order, each with the batch along the first axis.
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

class VisionModelImpl : public torch::nn::Module {
 public:
  /// Model output: logits for classifiers, C2 for hmax-classic.
  virtual torch::Tensor forward(torch::Tensor images) = 0;

  /// Computes the requested layers in one pass. A group name ("c1") expands to all of
  /// its members ("c1/0".."c1/7"); an unknown name throws Error listing the valid ones.
  virtual NamedTensors features(torch::Tensor images, const std::vector<std::string>& names) = 0;

  /// Validates requested names and expands groups to leaf layers, in request order.
  /// Throws Error naming the bad layer and listing the valid ones.
  virtual std::vector<std::string> resolve_layers(const std::vector<std::string>& names) const;

  /// Every addressable layer name, groups first then members ("c1", "c1/0", ...).
  virtual std::vector<std::string> layer_names() const = 0;

  /// Channels the model expects (1 = gray, 3 = RGB).
  virtual int input_channels() const = 0;

  /// Registry name, used in messages.
  virtual std::string model_name() const = 0;

  /// A loss term the last training forward pass adds to the task loss (C-RBP's Lipschitz
  /// penalty); undefined when there is none.
  virtual torch::Tensor auxiliary_loss() const { return {}; }

  /// Every model option in effect (given or default) as text: written into run folders
  /// and checkpoints, and compared when a run resumes.
  const std::map<std::string, std::string>& resolved_options() const { return resolved_options_; }
  void set_resolved_options(std::map<std::string, std::string> options) {
    resolved_options_ = std::move(options);
  }

 private:
  std::map<std::string, std::string> resolved_options_;
};

}  // namespace ventral::hmax
