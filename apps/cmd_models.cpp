// `ventral models`: the registry, one line per model; --details adds layers and sizes.
#include <fmt/core.h>
#include <fmt/ranges.h>

#include "apps/commands.h"
#include "hmax/registry.h"

namespace ventral::cli {

int run_models(const Params& params) {
  std::size_t width = 0;
  for (const auto& entry : hmax::model_registry()) width = std::max(width, entry.name.size());
  for (const auto& entry : hmax::model_registry()) {
    fmt::print("{:<{}}  {}\n", entry.name, width, entry.description);
    if (!params.details) continue;
    auto model = entry.create({});
    fmt::print("{:<{}}  parameters: {}\n", "", width, hmax::parameter_count(*model));
    fmt::print("{:<{}}  layers: {}\n", "", width, fmt::join(model->layer_names(), " "));
    if (entry.name == "hmax-classic") {
      fmt::print("{:<{}}  with --patches: s2, s2/<m>, s2/<m>/<band 0..7>, c2\n", "", width);
    }
  }
  return 0;
}

}  // namespace ventral::cli
