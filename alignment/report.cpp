#include "alignment/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

namespace ventral::alignment {
namespace {

nlohmann::json number(double v) {
  return std::isfinite(v) ? nlohmann::json(v) : nlohmann::json(nullptr);
}

}  // namespace

std::string alignment_json(const AlignmentSummary& s, const AlignmentRunInfo& info) {
  nlohmann::json per_image = nlohmann::json::array();
  for (const auto& image : s.per_image) {
    per_image.push_back({{"stimulus_id", image.stimulus_id},
                         {"spearman", number(image.spearman)},
                         {"dice", number(image.dice)},
                         {"iou", number(image.iou)}});
  }
  nlohmann::json out = {{"score", number(s.score)},
                        {"spearman", number(s.spearman)},
                        {"ceiling", s.ceiling},
                        {"dice", number(s.dice)},
                        {"iou", number(s.iou)},
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
