// The model registry: a name maps to a one-line description and a factory that reads the
// family's typed options. Models are registered from an explicit list in registry.cpp
// (static initialisers are dropped from static libraries). A variant (hmax-hgru) is an
// options preset of its family, not a subclass.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "hmax/prototypes.h"
#include "models/model_options.h"
#include "models/vision_model.h"

namespace ventral::models {

/// What a factory receives: prototypes (for models with imprinted S2) and
/// `key=value` model options (`--model-opt`).
struct ModelConfig {
  hmax::PrototypeSet prototypes;
  std::map<std::string, std::string> options;
};

/// Builds a model from its option reader (every key it reads is recorded as resolved;
/// keys it never reads are rejected afterwards) and the config (prototypes).
using ModelFactory =
    std::function<std::shared_ptr<VisionModelImpl>(ModelOptionReader&, const ModelConfig&)>;

struct ModelEntry {
  std::string name;
  std::string description;
  ModelFactory create;
};

/// All registered models, in listing order.
const std::vector<ModelEntry>& model_registry();

/// The registered names, in listing order.
std::vector<std::string> model_names();

/// The entry for `name`; throws Error "unknown model 'x'; known: ..." otherwise.
const ModelEntry& find_model(const std::string& name);

/// Builds a model by name: reads its options (Error for an unknown key or a bad value) and
/// records the resolved options on the model.
std::shared_ptr<VisionModelImpl> create_model(const std::string& name, const ModelConfig& config);

/// Number of parameters (trainable or not) of a model.
int64_t parameter_count(const torch::nn::Module& model);

}  // namespace ventral::models
