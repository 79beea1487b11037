#include "training/trained_model.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/cuda.h>

#include "common/error.h"
#include "common/text_list.h"
#include "models/layer_names.h"
#include "models/registry.h"

namespace ventral::training {
namespace {

std::vector<float> floats_of(const std::string& text, const std::string& what) {
  std::vector<float> values;
  for (const auto& part : ventral::split_list(text)) {
    try {
      values.push_back(std::stof(part));
    } catch (const std::exception&) {
      fail("{} '{}' invalid, expected numbers separated by commas", what, text);
    }
  }
  return values;
}

}  // namespace

torch::Device parse_device(const std::string& name) {
  if (name == "cpu") return torch::kCPU;
  if (name.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) {
      fail("--device {}: no CUDA device (this LibTorch build or machine has none; see README, GPU)",
           name);
    }
    try {
      return torch::Device(name);
    } catch (const c10::Error&) {
    }
  }
  fail("--device {} invalid, expected cpu, cuda or cuda:N", name);
}

std::map<std::string, std::string> complete_model_options(std::map<std::string, std::string> given,
                                                          const data::Dataset& dataset, int img_size) {
  given.emplace("num_classes", std::to_string(dataset.classes().size()));
  if (!given.count("input_size")) {
    int side = img_size;
    if (side <= 0) {
      const auto first = dataset.load(0);
      side = std::min(first.height, first.width);
    }
    given["input_size"] = std::to_string(side);
  }
  if (dataset.channels() == 1) given.emplace("in_chans", "1");
  return given;
}

void complete_transform(data::TransformOptions& t, int channels, bool mean_std_given) {
  t.channels = channels;
  if (mean_std_given) return;
  if (channels == 1) {
    t.mean = {(0.485f + 0.456f + 0.406f) / 3.0f};
    t.std = {(0.229f + 0.224f + 0.225f) / 3.0f};
  } else {
    t.mean = {0.485f, 0.456f, 0.406f};
    t.std = {0.229f, 0.224f, 0.225f};
  }
}

std::map<std::string, std::string> data_config_of(const data::TransformOptions& t) {
  return {{"img_size", std::to_string(t.img_size)},
          {"crop_pct", fmt::format("{}", t.crop_pct)},
          {"mean", fmt::format("{}", fmt::join(t.mean, ","))},
          {"std", fmt::format("{}", fmt::join(t.std, ","))},
          {"channels", std::to_string(t.channels)}};
}

TrainedModel load_trained_model(const std::string& path, const torch::Device& device) {
  TrainedModel trained;
  trained.path = path;
  trained.checkpoint = load_checkpoint(path);
  auto& c = trained.checkpoint;
  trained.model = models::create_model(c.arch, {{}, c.model_options});
  load_module_state_dict(*trained.model, c.state_dict, path);
  c.state_dict.clear();
  trained.model->to(device);
  trained.model->eval();
  auto need = [&](const char* key) -> const std::string& {
    auto it = c.data_config.find(key);
    if (it == c.data_config.end()) fail("{}: data_config lacks '{}'", path, key);
    return it->second;
  };
  auto& t = trained.eval_transform;
  t.train = false;
  t.img_size = std::stoi(need("img_size"));
  t.crop_pct = std::stod(need("crop_pct"));
  t.mean = floats_of(need("mean"), "data_config mean");
  t.std = floats_of(need("std"), "data_config std");
  t.channels = std::stoi(need("channels"));
  return trained;
}

}  // namespace ventral::training
