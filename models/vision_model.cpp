#include "models/vision_model.h"

#include <c10/util/Exception.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "models/layer_names.h"

namespace ventral::models {

torch::Tensor TrainOutput::loss_terms_sum() const {
  torch::Tensor sum;
  for (const auto& [name, term] : loss_terms) sum = sum.defined() ? sum + term : term;
  return sum;
}

ForwardPass::ForwardPass(std::vector<std::string> leaves, bool output_needed)
    : leaves_(std::move(leaves)),
      wanted_(leaves_.begin(), leaves_.end()),
      output_needed_(output_needed) {}

bool ForwardPass::wants_group(const std::string& group) const {
  if (wanted_.count(group)) return true;
  const std::string prefix = group + "/";
  auto it = wanted_.lower_bound(prefix);
  return it != wanted_.end() && it->compare(0, prefix.size(), prefix) == 0;
}

void ForwardPass::keep(const std::string& name, const torch::Tensor& value) {
  if (wants(name)) kept_[name] = value;
}

void ForwardPass::keep_group(const std::string& group, const std::vector<torch::Tensor>& members) {
  if (!wants_group(group)) return;
  for (std::size_t i = 0; i < members.size(); ++i) keep(fmt::format("{}/{}", group, i), members[i]);
}

void ForwardPass::add_loss_term(std::string name, torch::Tensor value) {
  loss_terms_.emplace_back(std::move(name), std::move(value));
}

NamedTensors ForwardPass::take_layers(const std::string& model) {
  NamedTensors out;
  out.reserve(leaves_.size());
  for (const auto& leaf : leaves_) {
    auto it = kept_.find(leaf);
    TORCH_CHECK(it != kept_.end(), model, " did not produce its layer '", leaf, "'");
    out.emplace_back(leaf, it->second);
  }
  return out;
}

torch::Tensor VisionModelImpl::forward(torch::Tensor images) {
  check_input(images);
  ForwardPass pass({}, true);
  return run(images, pass);
}

TrainOutput VisionModelImpl::forward_train(torch::Tensor images) {
  check_input(images);
  ForwardPass pass({}, true);
  TrainOutput out;
  out.logits = run(images, pass);
  out.loss_terms = pass.take_loss_terms();
  return out;
}

NamedTensors VisionModelImpl::features(torch::Tensor images, const std::vector<std::string>& names) {
  ForwardPass pass(resolve_layers(names), false);
  check_input(images);
  run(images, pass);
  return pass.take_layers(model_name());
}

std::vector<std::string> VisionModelImpl::resolve_layers(const std::vector<std::string>& names) const {
  return expand_layer_names(names, layer_names(), model_name());
}

void VisionModelImpl::check_input(const torch::Tensor& images) const {
  if (images.dim() != 4 || images.size(1) != input_channels()) {
    fail("{}: expected images (N, {}, H, W), got {}", model_name(), input_channels(),
         fmt::format("{}", fmt::join(images.sizes(), " x ")));
  }
}

}  // namespace ventral::models
