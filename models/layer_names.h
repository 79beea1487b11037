// Resolving user-given layer names against a model's layer list.
#pragma once

#include <string>
#include <vector>

namespace ventral::models {

/// Expands group names to their leaf layers, keeping request order and dropping repeats:
/// "c1" -> "c1/0".."c1/7" when `all` holds "c1/0"..; a leaf stays itself. A name that is
/// neither throws Error listing the valid names (`model` names the model in the message).
std::vector<std::string> expand_layer_names(const std::vector<std::string>& requested,
                                            const std::vector<std::string>& all,
                                            const std::string& model);

}  // namespace ventral::models
