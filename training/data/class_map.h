// Class-map files (timm's --class-map): one class folder name per line; line order is
// label order.
#pragma once

#include <string>
#include <vector>

namespace ventral::data {

/// Class names from `path`, surrounding whitespace trimmed, blank lines skipped. Throws
/// Error naming the file for a missing file, an empty map or a repeated name.
std::vector<std::string> read_class_map(const std::string& path);

}  // namespace ventral::data
