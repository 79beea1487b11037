#include "hmax/vision_model.h"

#include "hmax/layer_names.h"

namespace ventral::hmax {

std::vector<std::string> VisionModelImpl::resolve_layers(const std::vector<std::string>& names) const {
  return expand_layer_names(names, layer_names(), model_name());
}

}  // namespace ventral::hmax
