#include "apps/config_file.h"

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <fmt/ranges.h>
// Shortest round-trip floats (std::to_chars): toml++ leaves them off for GCC, and Debian's
// compiled libtomlplusplus then prints 17 significant digits (0.1 as 0.10000000000000001), so
// the printer is compiled here, header-only, with them on.
#define TOML_HEADER_ONLY 1
#define TOML_FLOAT_CHARCONV 1
#include <toml++/toml.h>

#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/error.h"

namespace ventral::cli {

namespace {

void apply_config_items(CLI::App& command, const std::vector<CLI::ConfigItem>& items,
                        const std::string& path) {
  for (const auto& item : items) {
    // Section markers; "config" itself (a run folder's config.toml names the file it came
    // from); empty values (config.toml writes unset lists as "").
    if (item.name == "++" || item.name == "--" || item.name == "config") continue;
    if (item.inputs.empty() || (item.inputs.size() == 1 && item.inputs.front().empty())) continue;
    if (!item.parents.empty()) {
      fail("{}: key {} is inside a section; put the keys of `ventral {}` at the top level", path,
           item.fullname(), command.get_name());
    }
    CLI::Option* option = command.get_option_no_throw("--" + item.name);
    if (option == nullptr) {
      fail("{}: unknown key '{}' (keys are the long flag names of `ventral {}`)", path, item.name,
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
      fail("{}: {} = {} invalid: {}", path, item.name, fmt::join(item.inputs, ","), e.what());
    }
  }
}

}  // namespace

void apply_config_file(CLI::App& command, const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) fail("--config {}: a folder; expected a TOML file", path);
  std::ifstream in(path, std::ios::binary);
  if (!in) fail("--config {}: cannot read the file", path);
  std::ostringstream text;
  text << in.rdbuf();
  std::string content = text.str();
  // A UTF-8 byte-order mark (editors on Windows write one) is not part of the first key.
  if (content.rfind("\xEF\xBB\xBF", 0) == 0) content.erase(0, 3);
  apply_config_text(command, content, "--config " + path);
}

void apply_config_text(CLI::App& command, const std::string& text, const std::string& where) {
  std::istringstream input(text);
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_config(input);
  } catch (const CLI::Error& e) {
    fail("{}: {}", where, e.what());
  }
  apply_config_items(command, items, where);
}

namespace {

// Text as the TOML value it reads as: a boolean, an integer, a float, else a string.
void append_value(toml::array& array, const std::string& text) {
  if (text == "true" || text == "false") {
    array.push_back(text == "true");
    return;
  }
  if (!text.empty()) {
    char* end = nullptr;
    errno = 0;
    const long long integer = std::strtoll(text.c_str(), &end, 10);
    if (errno == 0 && end == text.c_str() + text.size()) {
      array.push_back(static_cast<int64_t>(integer));
      return;
    }
    const double number = std::strtod(text.c_str(), &end);
    if (end == text.c_str() + text.size() && std::isfinite(number)) {
      array.push_back(number);
      return;
    }
  }
  array.push_back(text);
}

}  // namespace

std::string resolved_config_toml(const std::vector<ResolvedOption>& options) {
  toml::table table;
  for (const auto& option : options) {
    toml::array values;
    for (const auto& text : option.values) append_value(values, text);
    if (option.list) {
      table.insert_or_assign(option.name, std::move(values));
    } else if (values.empty()) {
      table.insert_or_assign(option.name, "");
    } else {
      values.for_each([&](auto&& value) {
        if (!table.contains(option.name)) table.insert_or_assign(option.name, value);
      });
    }
  }
  // Basic "..." strings (the form a hand-written config uses), no literal or multi-line ones.
  constexpr auto flags = toml::toml_formatter::default_flags &
                         ~toml::format_flags::allow_literal_strings &
                         ~toml::format_flags::allow_multi_line_strings;
  std::ostringstream out;
  out << toml::toml_formatter(table, flags) << "\n";
  return out.str();
}

}  // namespace ventral::cli
