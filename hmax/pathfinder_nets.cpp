#include "hmax/pathfinder_nets.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>

#include "common/error.h"
#include "hmax/layer_names.h"
#include "hmax/model_options.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/make_cell.h"

namespace ventral::hmax {
namespace {

bool wanted(const std::vector<std::string>& keep, const std::string& name) {
  return std::find(keep.begin(), keep.end(), name) != keep.end();
}

torch::nn::Sequential conv_bn_relu(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return torch::nn::Sequential(
      torch::nn::Conv2d(torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false)),
      torch::nn::BatchNorm2d(out), torch::nn::ReLU());
}

}  // namespace

PathfinderNetOptions pathfinder_net_options(const std::string& model,
                                            const std::map<std::string, std::string>& given,
                                            std::map<std::string, std::string>& resolved) {
  const bool recurrent = model == "pathfinder-hgru";
  ModelOptionReader read(model, given);
  PathfinderNetOptions o;
  o.in_chans(read.get_int("in_chans", 1, 1));
  o.num_classes(read.get_int("num_classes", 2, 2));
  read.get_int("input_size", 64, 8);  // any size: the read-out pools globally
  o.channels(read.get_int("channels", recurrent ? 24 : 36, 1));
  o.stem_kernel(read.get_int("stem_kernel", 7, 1));
  o.stem_stride(read.get_int("stem_stride", 2, 1));
  o.kernel(read.get_int("kernel", recurrent ? 9 : 5, 1));
  if (o.kernel() % 2 == 0 || o.stem_kernel() % 2 == 0) {
    fail("{}: model options kernel={} and stem_kernel={} must be odd sizes", model, o.kernel(), o.stem_kernel());
  }
  if (recurrent) {
    o.cell(read.get_choice("cell", "hgru", recurrent::cell_names()));
    o.timesteps(read.get_int("timesteps", 8, 1));
    o.eval_timesteps(read.get_int("eval_timesteps", 0, 0));
    o.crbp(read.get_choice("recurrent_grad", "bptt", {"bptt", "crbp"}) == "crbp");
    o.nonlinearity(read.get_choice("nonlinearity", "softplus", {"tanh", "relu", "softplus"}));
    o.conv(read.get_choice("conv", "auto", {"auto", "direct", "fft"}));
    // C-RBP needs a time-invariant step map: batch statistics differ per step.
    o.norm(read.get_choice("norm", o.crbp() ? "none" : "batch", {"none", "batch", "instance"}));
  } else {
    o.layers(read.get_int("layers", 4, 1));
  }
  read.reject_unknown();
  resolved = read.resolved();
  return o;
}

PathfinderNetImpl::PathfinderNetImpl(PathfinderNetOptions opts) : options(std::move(opts)) {
  const int64_t k = options.channels();
  stem_ = register_module("stem", conv_bn_relu(options.in_chans(), k, options.stem_kernel(), options.stem_stride()));
  if (recurrent()) {
    cell_ = register_module("cell", recurrent::make_cell(
        options.cell(), recurrent::CellOptions(k)
                    .kernel_size(options.kernel())
                    .timesteps(options.timesteps())
                    .nonlinearity(recurrent::parse_nonlinearity(options.nonlinearity()))
                    .normalisation(recurrent::parse_step_norm(options.norm()))
                    .conv_method(recurrent::parse_conv_method(options.conv()))
                    .step_scale(!options.crbp())));
  } else {
    for (int64_t i = 0; i < options.layers(); ++i) {
      convs_.push_back(register_module(fmt::format("conv{}", i + 1), conv_bn_relu(k, k, options.kernel(), 1)));
    }
  }
  readout_norm_ = register_module("readout_norm", torch::nn::BatchNorm2d(k));
  readout_conv_ = register_module("readout_conv", torch::nn::Conv2d(torch::nn::Conv2dOptions(k, 2, 1)));
  pooled_norm_ = register_module("pooled_norm", torch::nn::BatchNorm1d(2));
  head_ = register_module("head", torch::nn::Linear(2, options.num_classes()));
}

int64_t PathfinderNetImpl::steps() const {
  if (is_training() || options.eval_timesteps() == 0) return options.timesteps();
  return options.eval_timesteps();
}

std::vector<std::string> PathfinderNetImpl::layer_names() const {
  std::vector<std::string> names = {"stem"};
  if (recurrent()) {
    const int64_t shown = options.eval_timesteps() > 0 ? options.eval_timesteps() : options.timesteps();
    for (int64_t t = 1; t <= shown; ++t) names.push_back(fmt::format("h@t{}", t));
  } else {
    for (int64_t i = 1; i <= options.layers(); ++i) names.push_back(fmt::format("conv{}", i));
  }
  for (const char* name : {"readout", "pre_logits", "logits"}) names.emplace_back(name);
  return names;
}

torch::Tensor PathfinderNetImpl::run(const torch::Tensor& images, const std::vector<std::string>& keep,
                                     std::map<std::string, torch::Tensor>& out) {
  if (images.dim() != 4 || images.size(1) != options.in_chans()) {
    fail("{}: expected images (N, {}, H, W), got {}", model_name(), options.in_chans(),
         fmt::format("{}", fmt::join(images.sizes(), " x ")));
  }
  auxiliary_loss_ = torch::Tensor();
  auto x = stem_->forward(images);
  if (wanted(keep, "stem")) out["stem"] = x;
  if (recurrent()) {
    const int64_t t_max = steps();
    bool record = false;
    for (int64_t t = 1; t <= t_max; ++t) record = record || wanted(keep, fmt::format("h@t{}", t));
    if (record) {
      auto states = cell_->unroll(x, t_max);
      for (int64_t t = 0; t < t_max; ++t) {
        if (auto name = fmt::format("h@t{}", t + 1); wanted(keep, name)) out[name] = cell_->output(states[t]);
      }
      x = cell_->output(states.back());
    } else if (options.crbp() && is_training() && torch::GradMode::is_enabled()) {
      const recurrent::CrbpOptions crbp;
      auto rollout = recurrent::crbp_rollout(*cell_, x, t_max, crbp);
      auxiliary_loss_ = recurrent::lipschitz_penalty(rollout, crbp.lipschitz_lambda()) * crbp.lipschitz_weight();
      x = cell_->output(rollout.state);
    } else {
      x = cell_->forward(x, t_max);
    }
  } else {
    for (std::size_t i = 0; i < convs_.size(); ++i) {
      x = convs_[i]->forward(x);
      if (auto name = fmt::format("conv{}", i + 1); wanted(keep, name)) out[name] = x;
    }
  }
  auto maps = readout_conv_->forward(readout_norm_->forward(x));
  if (wanted(keep, "readout")) out["readout"] = maps;
  auto pooled = pooled_norm_->forward(std::get<0>(maps.flatten(2).max(2)));
  if (wanted(keep, "pre_logits")) out["pre_logits"] = pooled;
  auto logits = head_->forward(pooled);
  if (wanted(keep, "logits")) out["logits"] = logits;
  return logits;
}

torch::Tensor PathfinderNetImpl::forward(torch::Tensor images) {
  std::map<std::string, torch::Tensor> unused;
  return run(images, {}, unused);
}

NamedTensors PathfinderNetImpl::features(torch::Tensor images, const std::vector<std::string>& names) {
  const auto leaves = resolve_layers(names);
  std::map<std::string, torch::Tensor> out;
  run(images, leaves, out);
  NamedTensors result;
  for (const auto& name : leaves) result.emplace_back(name, out.at(name));
  return result;
}

}  // namespace ventral::hmax
