#include "apps/model_setup.h"

#include "common/error.h"
#include "hmax/registry.h"

namespace ventral::cli {

std::shared_ptr<hmax::VisionModelImpl> build_model(const Params& params) {
  hmax::find_model(params.model);  // unknown names fail before any file is read
  hmax::ModelConfig config;
  if (!params.patches.empty()) config.prototypes = hmax::load_prototypes(params.patches);
  if (params.model == "hmax-classic") config.options["s2_activation"] = params.s2_activation;
  auto model = hmax::create_model(params.model, config);
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
