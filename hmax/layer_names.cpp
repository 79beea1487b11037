#include "hmax/layer_names.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"

namespace ventral::hmax {

std::vector<std::string> split_list(const std::string& text) {
  std::vector<std::string> parts;
  std::string current;
  auto flush = [&] {
    auto begin = current.find_first_not_of(" \t");
    auto end = current.find_last_not_of(" \t");
    if (begin != std::string::npos) parts.push_back(current.substr(begin, end - begin + 1));
    current.clear();
  };
  for (char c : text) {
    if (c == ',') {
      flush();
    } else {
      current += c;
    }
  }
  flush();
  return parts;
}

std::vector<std::string> expand_layer_names(const std::vector<std::string>& requested,
                                            const std::vector<std::string>& all,
                                            const std::string& model) {
  std::vector<std::string> leaves;
  std::set<std::string> seen;
  auto is_group = [&](const std::string& name) {
    return std::any_of(all.begin(), all.end(),
                       [&](const std::string& n) { return n.rfind(name + "/", 0) == 0; });
  };
  if (requested.empty()) fail("{}: no layers requested; valid: {}", model, fmt::join(all, ", "));
  for (const auto& name : requested) {
    if (std::find(all.begin(), all.end(), name) == all.end()) {
      fail("{}: unknown layer '{}'; valid: {}", model, name, fmt::join(all, ", "));
    }
    if (!is_group(name)) {
      if (seen.insert(name).second) leaves.push_back(name);
      continue;
    }
    for (const auto& n : all) {
      if (n.rfind(name + "/", 0) == 0 && !is_group(n) && seen.insert(n).second) leaves.push_back(n);
    }
  }
  return leaves;
}

}  // namespace ventral::hmax
