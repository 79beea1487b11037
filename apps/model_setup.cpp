#include "apps/model_setup.h"

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

}  // namespace ventral::cli
