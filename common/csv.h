// CSV text as RFC 4180 writes it (BrainIO stimulus sets, click logs).
#pragma once

#include <string>
#include <vector>

namespace ventral {

/// Splits CSV text into rows of fields (quoted fields may hold commas, quotes, newlines).
std::vector<std::vector<std::string>> parse_csv(const std::string& text);

}  // namespace ventral
