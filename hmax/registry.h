// The model registry: a name maps to a one-line description and a factory taking
// typed options. Models are registered from an explicit list in registry.cpp (static
// initialisers are dropped from static libraries).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hmax/prototypes.h"
#include "hmax/vision_model.h"

namespace ventral::hmax {

/// What a factory receives: prototypes (for models with imprinted S2) and
/// `key=value` model options (`--model-opt`).
struct ModelConfig {
  PrototypeSet prototypes;
  std::map<std::string, std::string> options;
};

struct ModelEntry {
  std::string name;
  std::string description;
  std::function<std::shared_ptr<VisionModelImpl>(const ModelConfig&)> create;
};

/// All registered models, in listing order.
const std::vector<ModelEntry>& model_registry();

/// The entry for `name`; throws Error "unknown model 'x'; known: ..." otherwise.
const ModelEntry& find_model(const std::string& name);

/// Builds a model by name.
std::shared_ptr<VisionModelImpl> create_model(const std::string& name, const ModelConfig& config);

/// Number of parameters (trainable or not) and of buffers of a model.
int64_t parameter_count(const torch::nn::Module& model);

}  // namespace ventral::hmax
