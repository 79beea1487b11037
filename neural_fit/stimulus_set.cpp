#include "neural_fit/stimulus_set.h"

#include <fstream>
#include <sstream>
#include <unordered_set>

#include "common/csv.h"
#include "common/error.h"

namespace ventral::neural_fit {

StimulusSet read_stimulus_set(const std::string& csv_path) {
  std::ifstream in(csv_path, std::ios::binary);
  if (!in) fail("{}: cannot open stimulus set (missing or unreadable)", csv_path);
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto rows = parse_csv(buffer.str());
  if (rows.empty()) fail("{}: empty stimulus set", csv_path);
  const auto& header = rows[0];
  auto column = [&](std::initializer_list<const char*> names) -> int {
    for (const char* name : names) {
      for (std::size_t i = 0; i < header.size(); ++i) {
        if (header[i] == name) return static_cast<int>(i);
      }
    }
    return -1;
  };
  const int id_col = column({"stimulus_id", "image_id"}),
            file_col = column({"filename", "image_file_name"});
  if (id_col < 0 || file_col < 0)
    fail("{}: stimulus set needs columns 'stimulus_id' and 'filename'", csv_path);
  std::string folder = csv_path.find('/') == std::string::npos
                           ? ""
                           : csv_path.substr(0, csv_path.rfind('/') + 1);
  StimulusSet set;
  std::unordered_set<std::string> seen;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    if (rows[r].size() != header.size()) {
      fail("{}: line {} has {} fields, the header {}", csv_path, r + 1, rows[r].size(), header.size());
    }
    const auto& id = rows[r][id_col];
    if (!seen.insert(id).second) fail("{}: duplicate stimulus_id '{}'", csv_path, id);
    const auto& name = rows[r][file_col];
    if (name.empty()) fail("{}: stimulus '{}' has no filename", csv_path, id);
    set.stimulus_id.push_back(id);
    set.path.push_back(name[0] == '/' ? name : folder + name);
    for (std::size_t c = 0; c < header.size(); ++c) set.columns[header[c]].push_back(rows[r][c]);
  }
  return set;
}

}  // namespace ventral::neural_fit
