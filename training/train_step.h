// One optimisation step: forward (with autocast when asked), task loss plus every loss
// term (the model's own, e.g. C-RBP's Lipschitz penalty, and the plug-ins'), a finite-loss
// check, backward, gradient clipping and the optimiser step, with the plug-ins called at
// their points (trainer_plugin.h).
#pragma once

#include <torch/nn/module.h>
#include <torch/optim/optimizer.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "models/vision_model.h"
#include "training/data/loader.h"
#include "training/trainer_plugin.h"

namespace ventral::training {

struct StepOptions {
  double smoothing = 0.0;  ///< label smoothing of the task loss
  double clip_grad = 0.0;  ///< max global gradient norm; 0: off
  bool amp = false;        ///< bfloat16 autocast around the forward pass (CUDA)
  std::vector<std::shared_ptr<TrainerPlugin>> plugins;
};

struct StepResult {
  double loss = 0;       ///< the total loss of the batch
  double task_loss = 0;  ///< its cross-entropy part
  /// The other loss terms by name, as added (weighted), in the order they were added.
  std::vector<std::pair<std::string, double>> terms;
  bool finite = true;  ///< false: nothing was stepped (the caller stops the run)
};

/// Runs one step on `batch` (already on the model's device; plug-ins may mark its images
/// as requiring grad). The optimiser's learning rate must be set by the caller (the
/// schedule lives in the loop).
StepResult train_step(models::VisionModelImpl& model, torch::optim::Optimizer& optimizer,
                      data::Batch& batch, const StepOptions& options);

}  // namespace ventral::training
