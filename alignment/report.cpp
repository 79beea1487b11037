#include "alignment/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_number.h"

namespace ventral::alignment {
std::string alignment_json(const AlignmentSummary& s, const AlignmentRunInfo& info) {
  nlohmann::json per_image = nlohmann::json::array();
  for (const auto& image : s.per_image) {
    nlohmann::json row = {{"stimulus_id", image.stimulus_id},
                          {"spearman", json_number(image.spearman)},
                          {"dice", json_number(image.dice)},
                          {"iou", json_number(image.iou)}};
    if (s.protocol == Protocol::paper) {
      row["spearman_56"] = json_number(image.spearman_56);
      row["spearman_14"] = json_number(image.spearman_14);
    }
    per_image.push_back(std::move(row));
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
                        {"protocol", protocol_name(s.protocol)},
                        {"maps", info.maps},
                        {"clickme", info.clickme},
                        {"per_image", per_image}};
  if (s.protocol == Protocol::paper) {
    out["spearman_56"] = json_number(s.spearman_56);
    out["spearman_14"] = json_number(s.spearman_14);
  }
  return out.dump(1) + "\n";
}

std::string alignment_csv(const AlignmentSummary& s) {
  const bool paper = s.protocol == Protocol::paper;
  std::string out = paper ? "stimulus_id,spearman,dice,iou,spearman_56,spearman_14\n"
                          : "stimulus_id,spearman,dice,iou\n";
  auto cell = [](double v) { return std::isfinite(v) ? fmt::format("{:.17g}", v) : std::string("nan"); };
  for (const auto& image : s.per_image) {
    out += fmt::format("{},{},{},{}", image.stimulus_id, cell(image.spearman), cell(image.dice),
                       cell(image.iou));
    if (paper) out += fmt::format(",{},{}", cell(image.spearman_56), cell(image.spearman_14));
    out += "\n";
  }
  return out;
}

}  // namespace ventral::alignment
