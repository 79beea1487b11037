// `ventral models`: the registry, one line per model; --details adds layers and sizes.
#include <fmt/core.h>
#include <fmt/ranges.h>

#include "apps/commands.h"
#include "apps/model_setup.h"
#include "common/error.h"
#include "models/registry.h"

namespace ventral::cli {

int run_models(const Params& params) {
  std::vector<const models::ModelEntry*> entries;
  for (const auto& name : params.model_names) entries.push_back(&models::find_model(name));
  if (entries.empty()) {
    for (const auto& entry : models::model_registry()) entries.push_back(&entry);
  }
  if (!params.model_opts.empty() && entries.size() != 1) {
    fail(
        "--model-opt needs exactly one model name, e.g. `ventral models --details hmax-wide "
        "--model-opt input_size=28`");
  }
  const auto options = parse_model_opts(params.model_opts);
  std::size_t width = 0;
  for (const auto* entry : entries) width = std::max(width, entry->name.size());
  for (const auto* entry : entries) {
    fmt::print("{:<{}}  {}\n", entry->name, width, entry->description);
    if (!params.details) continue;
    auto model = models::create_model(entry->name, {{}, options});
    fmt::print("{:<{}}  parameters: {}\n", "", width, models::parameter_count(*model));
    fmt::print("{:<{}}  layers: {}\n", "", width, fmt::join(model->layer_names(), " "));
    if (!model->resolved_options().empty()) {
      std::vector<std::string> pairs;
      for (const auto& [key, value] : model->resolved_options()) pairs.push_back(key + "=" + value);
      fmt::print("{:<{}}  options: {}\n", "", width, fmt::join(pairs, " "));
    }
    if (entry->name == "hmax-classic") {
      fmt::print("{:<{}}  with --patches: s2, s2/<m>, s2/<m>/<band 0..7>, c2\n", "", width);
    }
  }
  return 0;
}

}  // namespace ventral::cli
