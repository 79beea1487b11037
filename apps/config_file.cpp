#include "apps/config_file.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"

namespace ventral::cli {

void apply_config_file(CLI::App& command, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::FileError&) {
    fail("--config {}: cannot read the file", path);
  }
  for (const auto& item : items) {
    // Section markers; "config" itself (a run folder's config.toml names the file it came
    // from); empty values (config.toml writes unset lists as "").
    if (item.name == "++" || item.name == "--" || item.name == "config") continue;
    if (item.inputs.empty() || (item.inputs.size() == 1 && item.inputs.front().empty())) continue;
    if (!item.parents.empty()) {
      fail("--config {}: key {} is inside a section; put the keys of `ventral {}` at the top level", path,
           item.fullname(), command.get_name());
    }
    CLI::Option* option = command.get_option_no_throw("--" + item.name);
    if (option == nullptr) {
      fail("--config {}: unknown key '{}' (keys are the long flag names of `ventral {}`)", path, item.name,
           command.get_name());
    }
    if (option->count() > 0) continue;
    try {
      if (option->get_expected_min() == 0) {
        option->add_result(item.inputs.empty() ? std::string("true") : item.inputs.front());
      } else {
        option->add_result(item.inputs);
      }
      option->run_callback();
    } catch (const CLI::Error& e) {
      fail("--config {}: {} = {} invalid: {}", path, item.name, fmt::join(item.inputs, ","), e.what());
    }
  }
}

}  // namespace ventral::cli
