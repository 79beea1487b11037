// `--config FILE.toml`: option values from a TOML file whose keys are a subcommand's long
// flag names (timm's -c config file, in TOML). CLI11 reads config files only for the
// main app, so subcommands apply them here, after parsing.
#pragma once

#include <string>
#include <vector>

namespace CLI {
class App;
}

namespace ventral::cli {

/// Sets every option named in `path` that the command line did not give (the command
/// line wins). Throws Error naming the file for an unreadable file, an unknown key or a
/// bad value.
void apply_config_file(CLI::App& command, const std::string& path);

/// The same for TOML text; `where` names it in errors.
void apply_config_text(CLI::App& command, const std::string& text, const std::string& where);

/// One option as a run used it: long name, values as text, and whether it is a list.
struct ResolvedOption {
  std::string name;
  std::vector<std::string> values;
  bool list = false;
};

/// The options as a TOML document that `--config` reads back: numbers and booleans bare,
/// other text as strings, lists as arrays; written with toml++.
std::string resolved_config_toml(const std::vector<ResolvedOption>& options);

}  // namespace ventral::cli
