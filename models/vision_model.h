// The one surface every ventral model offers (STYLE.md, point 4): `forward` gives the
// model's output, `forward_train` the output plus the loss terms the model adds while
// training, `features` named intermediate layers, `layer_names` lists them. Training,
// alignment and neural fitting use only this interface.
//
// The base class does the shared work (timm's forward_intermediates, done once): it checks
// the input shape, resolves and validates layer names, and collects what one pass produces.
// A model implements only `run`, its computation, which offers each layer to a ForwardPass
// (`pass.keep("c1/0", x)`) and adds loss terms to it; everything else comes from here.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace ventral::models {

/// Named tensors in request order, each with the batch along the first axis.
using NamedTensors = std::vector<std::pair<std::string, torch::Tensor>>;

/// What a training forward pass returns: the task output and the loss terms the model adds
/// to the task loss (C-RBP's weighted Lipschitz penalty, ...), already weighted.
struct TrainOutput {
  torch::Tensor logits;
  NamedTensors loss_terms;

  /// The sum of the loss terms; undefined when there are none.
  torch::Tensor loss_terms_sum() const;
};

/// One forward pass: which leaf layers are wanted, whether the model's output is needed,
/// and what the pass collects (the wanted layers, the loss terms).
class ForwardPass {
 public:
  ForwardPass(std::vector<std::string> leaves, bool output_needed);

  bool wants(const std::string& name) const { return wanted_.count(name) > 0; }
  /// True when any layer "<group>/<i>" or "<group>" is wanted.
  bool wants_group(const std::string& group) const;
  /// Keeps `value` as layer `name` if it is wanted (otherwise nothing happens).
  void keep(const std::string& name, const torch::Tensor& value);
  /// Keeps member i of `members` as "<group>/<i>" where wanted.
  void keep_group(const std::string& group, const std::vector<torch::Tensor>& members);
  /// False when only layers were asked for (hmax-classic then skips S2 unless a layer needs it).
  bool output_needed() const { return output_needed_; }
  const std::vector<std::string>& leaves() const { return leaves_; }

  /// Adds a (weighted) loss term; only training passes use them.
  void add_loss_term(std::string name, torch::Tensor value);

  /// The wanted layers in request order; TORCH_CHECK fails if the model did not produce one.
  NamedTensors take_layers(const std::string& model);
  NamedTensors take_loss_terms() { return std::move(loss_terms_); }

 private:
  std::vector<std::string> leaves_;
  std::set<std::string> wanted_;
  std::map<std::string, torch::Tensor> kept_;
  NamedTensors loss_terms_;
  bool output_needed_;
};

class VisionModelImpl : public torch::nn::Module {
 public:
  /// Model output: logits for classifiers, C2 for hmax-classic.
  torch::Tensor forward(torch::Tensor images);

  /// The output and the loss terms this pass adds (empty outside training or for models
  /// without any). The trainer adds the terms to the task loss.
  TrainOutput forward_train(torch::Tensor images);

  /// Computes the requested layers in one pass. A group name ("c1") expands to all of its
  /// members ("c1/0".."c1/7"); an unknown name throws Error listing the valid ones.
  NamedTensors features(torch::Tensor images, const std::vector<std::string>& names);

  /// Validates requested names and expands groups to leaf layers, in request order.
  /// Throws Error naming the bad layer and listing the valid ones.
  virtual std::vector<std::string> resolve_layers(const std::vector<std::string>& names) const;

  /// Every addressable layer name, groups first then members ("c1", "c1/0", ...).
  virtual std::vector<std::string> layer_names() const = 0;

  /// Channels the model expects (1 = gray, 3 = RGB).
  virtual int input_channels() const = 0;

  /// Registry name, used in messages.
  virtual std::string model_name() const = 0;

  /// Every model option in effect (given or default) as text: written into run folders
  /// and checkpoints, and compared when a run resumes.
  const std::map<std::string, std::string>& resolved_options() const { return resolved_options_; }
  void set_resolved_options(std::map<std::string, std::string> options) {
    resolved_options_ = std::move(options);
  }

 protected:
  /// The model's computation on checked images: offers layers to `pass`, adds loss terms,
  /// returns the output (may be undefined when `!pass.output_needed()`).
  virtual torch::Tensor run(const torch::Tensor& images, ForwardPass& pass) = 0;

  /// Throws Error unless `images` is (N, input_channels(), H, W).
  virtual void check_input(const torch::Tensor& images) const;

 private:
  std::map<std::string, std::string> resolved_options_;
};

}  // namespace ventral::models
