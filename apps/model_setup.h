// Shared wiring for subcommands that run a model on images (features, show).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apps/options.h"
#include "models/vision_model.h"

namespace ventral::cli {

/// The model named by --model, with --model-opt, --patches and --s2-activation applied, in eval mode.
std::shared_ptr<models::VisionModelImpl> build_model(const Params& params);

/// `--model-opt key=value` pairs as a map; Error for a pair without '='.
std::map<std::string, std::string> parse_model_opts(const std::vector<std::string>& pairs);

}  // namespace ventral::cli
