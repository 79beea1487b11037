#include "training/data/class_map.h"

#include <fstream>
#include <set>

#include "common/error.h"

namespace ventral::data {

std::vector<std::string> read_class_map(const std::string& path) {
  std::ifstream stream(path);
  if (!stream) fail("--class-map {}: cannot open the file", path);
  std::vector<std::string> names;
  std::set<std::string> seen;
  std::string line;
  int line_number = 0;
  while (std::getline(stream, line)) {
    ++line_number;
    auto begin = line.find_first_not_of(" \t\r");
    if (begin == std::string::npos) continue;
    auto end = line.find_last_not_of(" \t\r");
    std::string name = line.substr(begin, end - begin + 1);
    if (!seen.insert(name).second) {
      fail("--class-map {}: line {} repeats class '{}'", path, line_number, name);
    }
    names.push_back(std::move(name));
  }
  if (names.empty()) fail("--class-map {}: no class names, expected one per line", path);
  return names;
}

}  // namespace ventral::data
