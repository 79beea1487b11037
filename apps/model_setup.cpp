#include "apps/model_setup.h"

#include "common/error.h"
#include "models/registry.h"

namespace ventral::cli {

std::shared_ptr<models::VisionModelImpl> build_model(const Params& params) {
  models::find_model(params.model);  // unknown names fail before any file is read
  models::ModelConfig config;
  config.options = parse_model_opts(params.model_opts);
  if (!params.patches.empty()) config.prototypes = hmax::load_prototypes(params.patches);
  // --s2-activation is the flag form of hmax-classic's model option (--model-opt wins).
  if (params.model == "hmax-classic") config.options.emplace("s2_activation", params.s2_activation);
  auto model = models::create_model(params.model, config);
  model->eval();
  return model;
}

std::map<std::string, std::string> parse_model_opts(const std::vector<std::string>& pairs) {
  std::map<std::string, std::string> options;
  for (const auto& pair : pairs) {
    auto eq = pair.find('=');
    if (eq == std::string::npos || eq == 0) fail("--model-opt {} invalid, expected KEY=VALUE", pair);
    options[pair.substr(0, eq)] = pair.substr(eq + 1);
  }
  return options;
}

}  // namespace ventral::cli
