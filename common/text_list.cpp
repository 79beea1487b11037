#include "common/text_list.h"

namespace ventral {

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

}  // namespace ventral
