#include "models/layer_names.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"

namespace ventral::models {

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

}  // namespace ventral::models
