#include "training/train_step.h"

#include <ATen/autocast_mode.h>
#include <torch/csrc/autograd/autograd.h>
#include <torch/nn/utils/clip_grad.h>

#include <cmath>

#include "training/losses.h"

namespace ventral::training {
namespace {

models::TrainOutput forward_with_autocast(models::VisionModelImpl& model, const torch::Tensor& images,
                                          bool amp) {
  if (!amp) return model.forward_train(images);
  at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
  at::autocast::set_enabled(true);
  auto output = model.forward_train(images);
  at::autocast::clear_cache();
  at::autocast::set_enabled(false);
  return output;
}

}  // namespace

StepResult train_step(models::VisionModelImpl& model, torch::optim::Optimizer& optimizer,
                      data::Batch& batch, const StepOptions& options) {
  optimizer.zero_grad();
  for (const auto& plugin : options.plugins) plugin->prepare(batch);
  auto output = forward_with_autocast(model, batch.images, options.amp);
  for (const auto& plugin : options.plugins) plugin->add_loss_terms(batch, output, output.loss_terms);
  const auto task_loss = smoothed_cross_entropy(output.logits, batch.labels, options.smoothing);
  auto loss = task_loss;
  if (auto terms = output.loss_terms_sum(); terms.defined()) loss = loss + terms;

  StepResult result;
  result.loss = loss.item<double>();
  result.task_loss = task_loss.item<double>();
  for (const auto& [name, term] : output.loss_terms)
    result.terms.emplace_back(name, term.item<double>());
  result.finite = std::isfinite(result.loss);
  if (!result.finite) return result;
  if (batch.images.requires_grad()) {
    // A loss on the input gradient (harmonization) makes the images a leaf that needs grad;
    // their own gradient is of no use here, and asking only for the parameters' saves the
    // input-gradient convolutions of both backward paths (hmax-bp: ~1/3 of the step).
    std::vector<torch::Tensor> parameters;
    for (const auto& p : model.parameters()) {
      if (p.requires_grad()) parameters.push_back(p);
    }
    torch::autograd::backward({loss}, {}, c10::nullopt, false, parameters);
  } else {
    loss.backward();
  }
  for (const auto& plugin : options.plugins) plugin->after_backward(model);
  if (options.clip_grad > 0) torch::nn::utils::clip_grad_norm_(model.parameters(), options.clip_grad);
  optimizer.step();
  for (const auto& plugin : options.plugins) plugin->after_step(model);
  return result;
}

}  // namespace ventral::training
