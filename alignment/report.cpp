#include "alignment/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_number.h"

namespace ventral::alignment {

namespace {

std::string csv_cell(double v) {
  return std::isfinite(v) ? fmt::format("{:.17g}", v) : std::string("nan");
}

}  // namespace

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
  const auto& cell = csv_cell;
  for (const auto& image : s.per_image) {
    out += fmt::format("{},{},{},{}", image.stimulus_id, cell(image.spearman), cell(image.dice),
                       cell(image.iou));
    if (paper) out += fmt::format(",{},{}", cell(image.spearman_56), cell(image.spearman_14));
    out += "\n";
  }
  return out;
}

std::string human_ceiling_json(const HumanCeiling& c, const HumanCeilingRunInfo& info) {
  nlohmann::json per_image = nlohmann::json::array();
  for (const auto& image : c.per_image) {
    per_image.push_back({{"stimulus_id", image.stimulus_id},
                         {"subjects", image.subjects},
                         {"ceiling", json_number(image.ceiling)},
                         {"floor", json_number(image.floor)}});
  }
  const auto& g = info.grouping;
  const auto& n = info.counts;
  nlohmann::json out = {{"ceiling", json_number(c.ceiling)},
                        {"ceiling_std_images", json_number(c.ceiling_std_images)},
                        {"ceiling_std_iterations", json_number(c.ceiling_std_iterations)},
                        {"spearman_brown", json_number(c.spearman_brown)},
                        {"floor", json_number(c.floor)},
                        {"n", c.per_image.size()},
                        {"trials", c.trials},
                        {"iterations", c.iterations},
                        {"seed", info.options.seed},
                        {"seconds", c.seconds},
                        {"clicks", info.clicks},
                        {"maps",
                         {{"canvas", {info.maps.canvas_height, info.maps.canvas_width}},
                          {"blur_size", info.maps.blur_size},
                          {"blur", "flat disk, applied twice, zero padding"},
                          {"crop", info.maps.crop}}},
                        {"filters",
                         {{"min_clicks", g.min_clicks},
                          {"min_subjects", g.min_subjects},
                          {"rows", n.rows},
                          {"repeated_trials", n.repeated_trials},
                          {"short_trials", n.short_trials},
                          {"clicks_outside", n.clicks_outside},
                          {"images_with_too_few_subjects", n.images_with_too_few_subjects}}},
                        {"per_image", per_image}};
  return out.dump(1) + "\n";
}

std::string human_ceiling_csv(const HumanCeiling& c) {
  std::string out = "stimulus_id,subjects,ceiling,floor\n";
  for (const auto& image : c.per_image) {
    out += fmt::format("{},{},{},{}\n", image.stimulus_id, image.subjects, csv_cell(image.ceiling),
                       csv_cell(image.floor));
  }
  return out;
}

}  // namespace ventral::alignment
