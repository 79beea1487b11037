#include "training/checkpoint.h"

#include <torch/serialize.h>

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "common/atomic_output.h"
#include "common/error.h"

namespace ventral::training {
namespace {

c10::impl::GenericDict string_dict() {
  return c10::impl::GenericDict(c10::StringType::get(), c10::AnyType::get());
}

c10::impl::GenericDict to_ivalue(const std::map<std::string, std::string>& map) {
  auto dict = string_dict();
  for (const auto& [k, v] : map) dict.insert(k, v);
  return dict;
}

std::map<std::string, std::string> strings_of(const c10::IValue& value) {
  std::map<std::string, std::string> out;
  for (const auto& item : value.toGenericDict()) {
    out[item.key().toStringRef()] = item.value().toStringRef();
  }
  return out;
}

}  // namespace

std::map<std::string, torch::Tensor> module_state_dict(const torch::nn::Module& model) {
  std::map<std::string, torch::Tensor> state;
  for (const auto& item : model.named_parameters()) state[item.key()] = item.value().detach().cpu();
  for (const auto& item : model.named_buffers()) state[item.key()] = item.value().detach().cpu();
  return state;
}

void load_module_state_dict(torch::nn::Module& model, const std::map<std::string, torch::Tensor>& state,
                            const std::string& source) {
  torch::NoGradGuard no_grad;
  std::size_t used = 0;
  auto copy = [&](const std::string& name, torch::Tensor& target) {
    auto it = state.find(name);
    if (it == state.end()) fail("{}: state_dict lacks '{}'", source, name);
    if (!it->second.sizes().equals(target.sizes())) {
      fail("{}: '{}' has shape {}, the model expects {}", source, name, c10::str(it->second.sizes()),
           c10::str(target.sizes()));
    }
    target.copy_(it->second);
    ++used;
  };
  for (auto& item : model.named_parameters()) copy(item.key(), item.value());
  for (auto& item : model.named_buffers()) copy(item.key(), item.value());
  if (used != state.size()) {
    auto names = model.named_parameters();
    auto buffers = model.named_buffers();
    for (const auto& [name, tensor] : state) {
      if (!names.contains(name) && !buffers.contains(name)) {
        fail("{}: state_dict has '{}', which the model does not", source, name);
      }
    }
  }
}

void save_checkpoint(const std::string& path, const Checkpoint& c) {
  auto dict = string_dict();
  c10::impl::GenericDict state(c10::StringType::get(), c10::TensorType::get());
  for (const auto& [name, tensor] : c.state_dict) state.insert(name, tensor);
  dict.insert("state_dict", state);
  dict.insert("arch", c.arch);
  dict.insert("model_options", to_ivalue(c.model_options));
  dict.insert("epoch", c.epoch);
  dict.insert("args", to_ivalue(c.args));
  dict.insert("data_config", to_ivalue(c.data_config));
  c10::List<std::string> classes;
  for (const auto& name : c.classes) classes.push_back(name);
  dict.insert("classes", classes);
  dict.insert("optimizer", c.optimizer);
  if (c.rng_state.defined()) dict.insert("rng_state", c.rng_state);
  dict.insert("updates", c.updates);
  dict.insert("best_top1", c.best_top1);
  dict.insert("best_epoch", c.best_epoch);
  const auto bytes = torch::pickle_save(dict);

  AtomicOutput out(path);
  std::FILE* file = std::fopen(out.temp_path().c_str(), "wb");
  if (!file) fail("{}: cannot write checkpoint: {}", path, std::strerror(errno));
  const bool written = std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
  const int write_errno = errno;
  const bool flushed = std::fflush(file) == 0 && fsync(fileno(file)) == 0;
  const int flush_errno = errno;
  std::fclose(file);
  if (!written || !flushed) {
    fail("{}: writing checkpoint failed ({}); the previous checkpoint is unchanged", path,
         std::strerror(!written ? write_errno : flush_errno));
  }
  out.commit();
}

Checkpoint load_checkpoint(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("{}: cannot open checkpoint", path);
  std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  c10::IValue value;
  try {
    value = torch::pickle_load(bytes);
  } catch (const c10::Error&) {
    fail("{}: not a checkpoint (expected a torch.save zip archive)", path);
  }
  if (!value.isGenericDict()) fail("{}: not a ventral checkpoint (expected a dict)", path);
  const auto dict = value.toGenericDict();
  auto need = [&](const char* key) {
    if (!dict.contains(key)) fail("{}: not a ventral checkpoint (no '{}')", path, key);
    return dict.at(key);
  };
  Checkpoint c;
  for (const auto& item : need("state_dict").toGenericDict()) {
    c.state_dict[item.key().toStringRef()] = item.value().toTensor();
  }
  c.arch = need("arch").toStringRef();
  c.model_options = strings_of(need("model_options"));
  c.epoch = need("epoch").toInt();
  c.args = strings_of(need("args"));
  c.data_config = strings_of(need("data_config"));
  if (dict.contains("classes")) {
    for (const auto& name : dict.at("classes").toList()) c.classes.push_back(name.get().toStringRef());
  }
  c.optimizer = dict.contains("optimizer") ? dict.at("optimizer") : c10::IValue();
  if (dict.contains("rng_state")) c.rng_state = dict.at("rng_state").toTensor();
  if (dict.contains("updates")) c.updates = dict.at("updates").toInt();
  if (dict.contains("best_top1")) c.best_top1 = dict.at("best_top1").toDouble();
  if (dict.contains("best_epoch")) c.best_epoch = dict.at("best_epoch").toInt();
  return c;
}

}  // namespace ventral::training
