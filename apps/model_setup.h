// Shared wiring for subcommands that run a model on images (features, show).
#pragma once

#include <memory>

#include "apps/options.h"
#include "hmax/vision_model.h"

namespace ventral::cli {

/// The model named by --model, with --patches and --s2-activation applied.
std::shared_ptr<hmax::VisionModelImpl> build_model(const Params& params);

}  // namespace ventral::cli
