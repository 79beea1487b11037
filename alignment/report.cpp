#include "alignment/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_number.h"

namespace ventral::alignment {
std::string alignment_json(const AlignmentSummary& s, const AlignmentRunInfo& info) {
  nlohmann::json per_image = nlohmann::json::array();
  for (const auto& image : s.per_image) {
    per_image.push_back({{"stimulus_id", image.stimulus_id},
                         {"spearman", json_number(image.spearman)},
                         {"dice", json_number(image.dice)},
                         {"iou", json_number(image.iou)}});
  }
  nlohmann::json out = {{"score", json_number(s.score)},
                        {"spearman", json_number(s.spearman)},
                        {"ceiling", s.ceiling},
                        {"dice", json_number(s.dice)},
                        {"iou", json_number(s.iou)},
                        {"n", s.n},
                        {"undefined", s.undefined},
                        {"seconds", s.seconds},
                        {"model_seconds", s.model_seconds},
                        {"protocol", info.protocol},
                        {"maps", info.maps},
                        {"clickme", info.clickme},
                        {"per_image", per_image}};
  return out.dump(1) + "\n";
}

std::string alignment_csv(const AlignmentSummary& s) {
  std::string out = "stimulus_id,spearman,dice,iou\n";
  auto cell = [](double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : std::string("nan"); };
  for (const auto& image : s.per_image) {
    out += fmt::format("{},{},{},{}\n", image.stimulus_id, cell(image.spearman), cell(image.dice),
                       cell(image.iou));
  }
  return out;
}

}  // namespace ventral::alignment
