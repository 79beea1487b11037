// Entry points of the `ventral` subcommands. Each file apps/cmd_<name>.cpp wires one
// subcommand: it reads `Params`, calls the libraries and prints; no science here.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "apps/options.h"

namespace ventral::cli {

struct CommandDef {
  std::string path;  ///< "features", or "neural simulate" for a nested subcommand
  std::string description;
  std::function<int(const Params&)> run;
};

/// Every subcommand, in the order `ventral --help` lists them.
const std::vector<CommandDef>& command_table();

}  // namespace ventral::cli
