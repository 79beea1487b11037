// The seams of the training loop: what later capabilities plug into without growing
// `train()` (extra loss terms such as the harmonization loss, gradient averaging across
// processes, an EMA of the weights). The loop calls every plug-in at fixed points of each
// optimisation step, in the order they were given.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <string>

#include "models/vision_model.h"
#include "training/data/loader.h"

namespace ventral::training {

class TrainerPlugin {
 public:
  virtual ~TrainerPlugin() = default;

  /// Short name for the log ("harmonization", "ddp", "ema").
  virtual std::string name() const = 0;

  /// Once, before training: Error (one line) when the plug-in cannot work with `model`.
  virtual void check_model(const models::VisionModelImpl& model) {}

  /// Before the forward pass (e.g. marking the images as requiring grad, for a loss on
  /// the input gradient).
  virtual void prepare(data::Batch& batch) {}

  /// Adds loss terms for this batch to `terms` (already weighted); the trainer sums them
  /// with the task loss and the model's own terms.
  virtual void add_loss_terms(const data::Batch& batch, const models::TrainOutput& output,
                              models::NamedTensors& terms) {}

  /// After backward, before clipping and the optimiser step (e.g. all-reduce of gradients).
  virtual void after_backward(torch::nn::Module& model) {}

  /// After the optimiser step (e.g. an exponential moving average of the weights).
  virtual void after_step(torch::nn::Module& model) {}
};

}  // namespace ventral::training
