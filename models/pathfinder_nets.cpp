#include "models/pathfinder_nets.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>

#include "common/error.h"
#include "models/layer_names.h"
#include "models/model_options.h"
#include "models/recurrent_options.h"
#include "models/recurrent_pass.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/make_cell.h"

namespace ventral::models {
namespace {

torch::nn::Sequential conv_bn_relu(int64_t in, int64_t out, int64_t kernel, int64_t stride) {
  return torch::nn::Sequential(
      torch::nn::Conv2d(
          torch::nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(false)),
      layers::BatchNorm2d(out), torch::nn::ReLU());
}

}  // namespace

PathfinderNetOptions pathfinder_cnn_preset() {
  return PathfinderNetOptions().channels(36).kernel(5).layers(4);
}

namespace {

// The keys both networks read, with `d` holding the defaults.
PathfinderNetOptions read_common(ModelOptionReader& read, const PathfinderNetOptions& d) {
  PathfinderNetOptions o = d;
  o.in_chans(read.get_int("in_chans", d.in_chans(), 1));
  o.num_classes(read.get_int("num_classes", d.num_classes(), 2));
  read.get_input_size();  // any size: the read-out pools globally
  o.channels(read.get_int("channels", d.channels(), 1));
  o.stem_kernel(read.get_odd("stem_kernel", d.stem_kernel()));
  o.stem_stride(read.get_int("stem_stride", d.stem_stride(), 1));
  o.kernel(read.get_odd("kernel", d.kernel()));
  return o;
}

}  // namespace

PathfinderNetOptions read_pathfinder_hgru_options(ModelOptionReader& read) {
  namespace rc = recurrent;
  const PathfinderNetOptions d;
  auto o = read_common(read, d);
  o.cell(read.get_choice("cell", d.cell(), rc::cell_names()));
  o.timesteps(read.get_int("timesteps", d.timesteps(), 1));
  o.eval_timesteps(read.get_int("eval_timesteps", d.eval_timesteps(), 0));
  o.recurrent_grad(read.get_enum("recurrent_grad", d.recurrent_grad(), rc::recurrent_grad_names()));
  const bool crbp = o.recurrent_grad() == rc::RecurrentGrad::crbp;
  if (crbp) o.crbp(read_crbp_options(read));
  o.nonlinearity(read.get_enum("nonlinearity", d.nonlinearity(), rc::nonlinearity_names()));
  o.conv(read.get_enum("conv", d.conv(), rc::conv_method_names()));
  // C-RBP needs a time-invariant step map: batch statistics differ per step.
  o.norm(read.get_enum("norm", crbp ? rc::StepNorm::none : d.norm(), rc::step_norm_names()));
  return o;
}

PathfinderNetOptions read_pathfinder_cnn_options(ModelOptionReader& read) {
  const auto d = pathfinder_cnn_preset();
  auto o = read_common(read, d);
  o.layers(read.get_int("layers", d.layers(), 1));
  return o;
}

PathfinderNetImpl::PathfinderNetImpl(PathfinderNetOptions opts) : options(std::move(opts)) {
  const int64_t k = options.channels();
  stem_ = register_module("stem", conv_bn_relu(options.in_chans(), k, options.stem_kernel(),
                                               options.stem_stride()));
  if (recurrent()) {
    cell_ = register_module("cell",
                            recurrent::make_cell(options.cell(),
                                                 recurrent::CellOptions(k)
                                                     .kernel_size(options.kernel())
                                                     .timesteps(options.timesteps())
                                                     .nonlinearity(options.nonlinearity())
                                                     .normalisation(options.norm())
                                                     .conv_method(options.conv())
                                                     .step_scale(options.recurrent_grad() !=
                                                                 recurrent::RecurrentGrad::crbp)));
  } else {
    for (int64_t i = 0; i < options.layers(); ++i) {
      convs_.push_back(
          register_module(fmt::format("conv{}", i + 1), conv_bn_relu(k, k, options.kernel(), 1)));
    }
  }
  readout_norm_ = register_module("readout_norm", layers::BatchNorm2d(k));
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

torch::Tensor PathfinderNetImpl::run(const torch::Tensor& images, ForwardPass& pass) {
  auto x = stem_->forward(images);
  pass.keep("stem", x);
  if (recurrent()) {
    const auto stage_options = recurrent::RecurrentStageOptions()
                                   .steps(steps())
                                   .grad(options.recurrent_grad())
                                   .crbp(options.crbp());
    x = run_recurrent_pass(*cell_, x, stage_options, {"h@t", "", "lipschitz"}, pass);
  } else {
    for (std::size_t i = 0; i < convs_.size(); ++i) {
      x = convs_[i]->forward(x);
      pass.keep(fmt::format("conv{}", i + 1), x);
    }
  }
  auto maps = readout_conv_->forward(readout_norm_->forward(x));
  pass.keep("readout", maps);
  auto pooled = pooled_norm_->forward(std::get<0>(maps.flatten(2).max(2)));
  pass.keep("pre_logits", pooled);
  auto logits = head_->forward(pooled);
  pass.keep("logits", logits);
  return logits;
}

}  // namespace ventral::models
