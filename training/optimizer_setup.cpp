#include "training/optimizer_setup.h"

#include <c10/util/string_utils.h>
#include <torch/optim/adamw.h>
#include <torch/optim/sgd.h>

#include "common/error.h"

namespace ventral::training {

const std::vector<std::string>& optimizer_names() {
  static const std::vector<std::string> names = {"sgd", "adamw"};
  return names;
}
namespace {

std::string state_key(const torch::Tensor& p) { return c10::guts::to_string(p.unsafeGetTensorImpl()); }

std::vector<torch::Tensor> all_params(const torch::optim::Optimizer& optimizer) {
  std::vector<torch::Tensor> params;
  for (const auto& group : optimizer.param_groups()) {
    params.insert(params.end(), group.params().begin(), group.params().end());
  }
  return params;
}

c10::impl::GenericDict string_dict() {
  return c10::impl::GenericDict(c10::StringType::get(), c10::AnyType::get());
}

torch::Tensor tensor_entry(const c10::impl::GenericDict& dict, const std::string& key,
                           const torch::Tensor& like) {
  if (!dict.contains(key)) fail("checkpoint: optimizer state lacks '{}'", key);
  auto t = dict.at(key).toTensor();
  if (!t.sizes().equals(like.sizes())) {
    fail("checkpoint: optimizer state '{}' has shape {}, the parameter has {}", key, c10::str(t.sizes()),
         c10::str(like.sizes()));
  }
  return t.to(like.device(), like.scalar_type());
}

}  // namespace

std::unique_ptr<torch::optim::Optimizer> make_optimizer(torch::nn::Module& model,
                                                        const OptimizerOptions& o) {
  std::vector<torch::Tensor> decay, no_decay;
  for (const auto& p : model.parameters()) {
    if (!p.requires_grad()) continue;
    (p.dim() >= 2 ? decay : no_decay).push_back(p);
  }
  if (o.name == "sgd") {
    auto base = torch::optim::SGDOptions(o.lr).momentum(o.momentum).nesterov(o.nesterov);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::SGDOptions>(
                                   torch::optim::SGDOptions(base).weight_decay(o.weight_decay)));
    groups.emplace_back(no_decay, std::make_unique<torch::optim::SGDOptions>(
                                      torch::optim::SGDOptions(base).weight_decay(0.0)));
    return std::make_unique<torch::optim::SGD>(std::move(groups), base);
  }
  if (o.name == "adamw") {
    auto base = torch::optim::AdamWOptions(o.lr).betas({o.beta1, o.beta2}).eps(o.eps);
    std::vector<torch::optim::OptimizerParamGroup> groups;
    groups.emplace_back(decay, std::make_unique<torch::optim::AdamWOptions>(
                                   torch::optim::AdamWOptions(base).weight_decay(o.weight_decay)));
    groups.emplace_back(no_decay, std::make_unique<torch::optim::AdamWOptions>(
                                      torch::optim::AdamWOptions(base).weight_decay(0.0)));
    return std::make_unique<torch::optim::AdamW>(std::move(groups), base);
  }
  fail("--opt {} invalid, expected sgd or adamw", o.name);
}

void set_learning_rate(torch::optim::Optimizer& optimizer, double lr) {
  for (auto& group : optimizer.param_groups()) group.options().set_lr(lr);
}

c10::IValue optimizer_state_dict(const torch::optim::Optimizer& optimizer, const std::string& name) {
  auto params = all_params(optimizer);
  c10::impl::GenericDict state(c10::IntType::get(), c10::AnyType::get());
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto it = optimizer.state().find(state_key(params[i]));
    if (it == optimizer.state().end()) continue;
    auto entry = string_dict();
    if (name == "sgd") {
      const auto& s = static_cast<const torch::optim::SGDParamState&>(*it->second);
      entry.insert("momentum_buffer", s.momentum_buffer());
    } else {
      const auto& s = static_cast<const torch::optim::AdamWParamState&>(*it->second);
      entry.insert("step", s.step());
      entry.insert("exp_avg", s.exp_avg());
      entry.insert("exp_avg_sq", s.exp_avg_sq());
    }
    state.insert(static_cast<int64_t>(i), entry);
  }
  c10::List<c10::IValue> groups(c10::AnyType::get());
  int64_t index = 0;
  for (const auto& group : optimizer.param_groups()) {
    auto g = string_dict();
    g.insert("lr", group.options().get_lr());
    if (name == "sgd") {
      const auto& o = static_cast<const torch::optim::SGDOptions&>(group.options());
      g.insert("momentum", o.momentum());
      g.insert("nesterov", o.nesterov());
      g.insert("weight_decay", o.weight_decay());
    } else {
      const auto& o = static_cast<const torch::optim::AdamWOptions&>(group.options());
      g.insert("weight_decay", o.weight_decay());
      g.insert("eps", o.eps());
    }
    c10::List<int64_t> ids;
    for (std::size_t k = 0; k < group.params().size(); ++k) ids.push_back(index++);
    g.insert("params", ids);
    groups.push_back(g);
  }
  auto out = string_dict();
  out.insert("state", state);
  out.insert("param_groups", groups);
  return out;
}

void load_optimizer_state_dict(torch::optim::Optimizer& optimizer, const std::string& name,
                               const c10::IValue& value) {
  auto params = all_params(optimizer);
  const auto dict = value.toGenericDict();
  const auto state = dict.at("state").toGenericDict();
  int64_t stored = 0;
  for (const auto& group : dict.at("param_groups").toList()) {
    stored += static_cast<int64_t>(group.get().toGenericDict().at("params").toIntList().size());
  }
  if (stored != static_cast<int64_t>(params.size())) {
    fail("checkpoint: optimizer holds {} parameters, the model has {}", stored, params.size());
  }
  optimizer.state().clear();
  for (const auto& item : state) {
    const auto i = item.key().toInt();
    if (i < 0 || i >= static_cast<int64_t>(params.size())) {
      fail("checkpoint: optimizer state for parameter {} of {}", i, params.size());
    }
    const auto& p = params[i];
    const auto entry = item.value().toGenericDict();
    if (name == "sgd") {
      auto s = std::make_unique<torch::optim::SGDParamState>();
      s->momentum_buffer(tensor_entry(entry, "momentum_buffer", p).clone());
      optimizer.state()[state_key(p)] = std::move(s);
    } else {
      auto s = std::make_unique<torch::optim::AdamWParamState>();
      if (!entry.contains("step")) fail("checkpoint: optimizer state lacks 'step'");
      s->step(entry.at("step").toInt());
      s->exp_avg(tensor_entry(entry, "exp_avg", p).clone());
      s->exp_avg_sq(tensor_entry(entry, "exp_avg_sq", p).clone());
      optimizer.state()[state_key(p)] = std::move(s);
    }
  }
}

}  // namespace ventral::training
