// Shared wiring for subcommands that run a model on images (features, show).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "apps/options.h"
#include "hmax/vision_model.h"

namespace ventral::cli {

/// The model named by --model, with --patches and --s2-activation applied.
std::shared_ptr<hmax::VisionModelImpl> build_model(const Params& params);

/// `--model-opt key=value` pairs as a map; Error for a pair without '='.
std::map<std::string, std::string> parse_model_opts(const std::vector<std::string>& pairs);

}  // namespace ventral::cli
