// Comma-separated lists as users type them ("c1,c2", "4, 8, 12").
#pragma once

#include <string>
#include <vector>

namespace ventral {

/// Splits "a,b,c" at commas, trims spaces around each part and drops empty parts.
std::vector<std::string> split_list(const std::string& text);

}  // namespace ventral
