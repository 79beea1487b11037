#include "benchmarks/score_report.h"

#include <nlohmann/json.hpp>

#include "common/json_number.h"

namespace ventral::benchmarks {

std::string score_json(const std::string& checkpoint, const std::string& arch,
                       const std::vector<BenchmarkResult>& results) {
  nlohmann::json list = nlohmann::json::array();
  for (const auto& r : results) {
    if (!r.error.empty()) {
      list.push_back(
          {{"name", r.name}, {"version", r.version}, {"settings", r.settings}, {"error", r.error}});
      continue;
    }
    nlohmann::json ceiled = nlohmann::json::object(), extra = nlohmann::json::object();
    for (const auto& [k, v] : r.ceiled) ceiled[k] = json_number(v);
    for (const auto& [k, v] : r.extra) extra[k] = json_number(v);
    list.push_back({{"name", r.name},
                    {"version", r.version},
                    {"citation", r.citation},
                    {"settings", r.settings},
                    {"raw", json_number(r.raw)},
                    {"ceiling", json_number(r.ceiling)},
                    {"ceiled", ceiled},
                    {"extra", extra},
                    {"seconds", r.seconds}});
  }
  nlohmann::json out = {{"checkpoint", checkpoint}, {"arch", arch}, {"benchmarks", list}};
  return out.dump(1) + "\n";
}

}  // namespace ventral::benchmarks
