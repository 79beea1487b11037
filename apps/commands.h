// Entry points of the `ventral` subcommands. Each file apps/cmd_<name>.cpp wires one
// subcommand: it reads `Params`, calls the libraries and prints; no science here.
#pragma once

#include "apps/options.h"

namespace ventral::cli {

int run_models(const Params& params);
int run_features(const Params& params);
int run_imprint(const Params& params);
int run_show(const Params& params);
int run_fit(const Params& params);
int run_neural_simulate(const Params& params);

}  // namespace ventral::cli
