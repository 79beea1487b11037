#include "neural_fit/report.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "common/json_number.h"

namespace ventral::neural_fit {
namespace {

using nlohmann::json;

std::string cell(double v) { return std::isfinite(v) ? fmt::format("{:.4f}", v) : "nan"; }

json matrix_json(const Matrix& m) {
  json rows = json::array();
  for (Index i = 0; i < m.rows(); ++i) {
    json row = json::array();
    for (Index j = 0; j < m.cols(); ++j) row.push_back(json_number(m(i, j)));
    rows.push_back(row);
  }
  return rows;
}

json score_json(const Score& s) {
  json per_split = json::array();
  for (double v : s.per_split) per_split.push_back(json_number(v));
  return {{"raw", json_number(s.raw)},
          {"ceiling", json_number(s.ceiling)},
          {"ceiled_ratio", json_number(s.ceiled.ratio)},
          {"ceiled_ev2019", json_number(s.ceiled.ev2019)},
          {"ceiled_ev2026", json_number(s.ceiled.ev2026)},
          {"headline", "ceiled_ev2026"},
          {"sem", json_number(s.sem)},
          {"per_split", per_split},
          {"neuroids_used", s.neuroids_used},
          {"undefined_correlations", s.undefined_correlations},
          {"per_split_per_neuroid", matrix_json(s.per_neuroid)}};
}

json info_json(const RunInfo& i) {
  return {{"features", i.features},
          {"neural", i.neural},
          {"method", i.method},
          {"correlation", i.correlation},
          {"aggregation", i.aggregation},
          {"protocol", i.protocol},
          {"splits", i.splits},
          {"region", i.region},
          {"time_bin", i.time_bin},
          {"pca", i.pca},
          {"seed", i.seed},
          {"conventions",
           {{"ceiled_ratio", "raw / ceiling (2018-2019)"},
            {"ceiled_ev2019", "(raw / ceiling)^2 (2019-2026)"},
            {"ceiled_ev2026", "raw^2 / ceiling (since 2026-01-13; headline)"}}}};
}

}  // namespace

std::string format_table(const std::vector<LayerScore>& layers, const NeuralTarget& target) {
  std::string out = fmt::format("{:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", "layer", "raw",
                                "ceiling", "ratio", "ev2019", "ev2026", "sem", "neuroids");
  for (const auto& l : layers) {
    const Score& s = l.score;
    out += fmt::format("{:<16} {:>8} {:>8} {:>8} {:>8} {:>8} {:>8} {:>9}\n", l.layer, cell(s.raw),
                       cell(s.ceiling), cell(s.ceiled.ratio), cell(s.ceiled.ev2019),
                       cell(s.ceiled.ev2026), cell(s.sem), s.neuroids_used);
  }
  out += fmt::format("{} stimuli, {} splits ({}); neuroids excluded: {} NaN/inf, {} constant\n",
                     target.data.stimulus_ids.size(), target.splits.size(), target.split_source,
                     target.data.excluded_nonfinite, target.data.excluded_constant);
  return out;
}

std::string standard_json(const std::vector<LayerScore>& layers, const NeuralTarget& target,
                          const RunInfo& info) {
  json out = info_json(info);
  out["stimuli"] = target.data.stimulus_ids.size();
  out["neuroid_ids"] = target.data.neuroid_ids;
  out["neuroids_total"] = target.data.neuroids_total;
  out["neuroids_excluded_nonfinite"] = target.data.excluded_nonfinite;
  out["neuroids_excluded_constant"] = target.data.excluded_constant;
  out["ceiling"] = {{"value", json_number(target.ceiling.value)},
                    {"sem", json_number(target.ceiling.sem)},
                    {"available", target.ceiling.available},
                    {"reason", target.ceiling.reason},
                    {"method", "split-half over repetitions, Spearman-Brown, median, mean over splits"}};
  json items = json::array();
  for (const auto& l : layers) {
    json item = score_json(l.score);
    item["layer"] = l.layer;
    item["features"] = l.features;
    item["features_fitted"] = l.features_fitted;
    item["constant_features"] = l.constant_features;
    item["split_details"] = l.split_details;
    item["warnings"] = l.warnings;
    item["seconds"] = l.seconds;
    items.push_back(item);
  }
  out["layers"] = items;
  return out.dump(2) + "\n";
}

std::string standard_csv(const std::vector<LayerScore>& layers, const NeuralTarget& target) {
  std::string out =
      "layer,raw,ceiling,ceiled_ratio,ceiled_ev2019,ceiled_ev2026,sem,neuroids,features,features_fitted\n";
  auto v = [](double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : std::string(); };
  for (const auto& l : layers) {
    const Score& s = l.score;
    out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", l.layer, v(s.raw), v(s.ceiling),
                       v(s.ceiled.ratio), v(s.ceiled.ev2019), v(s.ceiled.ev2026), v(s.sem),
                       s.neuroids_used, l.features, l.features_fitted);
  }
  (void)target;
  return out;
}

std::string format_patch_table(const PatchResult& r) {
  std::string out = fmt::format("{:<16} {:>8}   (plain leave-one-image-out; diagnostic)\n", "layer",
                                "raw");
  for (const auto& l : r.layers) out += fmt::format("{:<16} {:>8}\n", l.layer, cell(l.mean));
  const Score& s = r.score;
  out += fmt::format("nested layer choice: raw {} ceiling {} ratio {} ev2019 {} ev2026 {} sem {}\n",
                     cell(s.raw), cell(s.ceiling), cell(s.ceiled.ratio), cell(s.ceiled.ev2019),
                     cell(s.ceiled.ev2026), cell(s.sem));
  out += fmt::format("published best inter-site ceiling {} -> raw / ceiling {}\n",
                     cell(r.published_ceiling), cell(r.ceiled_published));
  return out;
}

std::string patch_json(const PatchResult& r, const RunInfo& info) {
  json out = info_json(info);
  out["score"] = score_json(r.score);
  out["chosen_layer_per_fold"] = r.chosen_layer;
  out["split_half_ceiling"] = {{"value", json_number(r.split_half.value)},
                               {"available", r.split_half.available},
                               {"reason", r.split_half.reason}};
  out["published_ceiling"] = json_number(r.published_ceiling);
  out["ceiled_published"] = json_number(r.ceiled_published);
  json layers = json::array();
  for (const auto& l : r.layers) {
    json folds = json::array();
    for (double v : l.fold_scores) folds.push_back(json_number(v));
    layers.push_back({{"layer", l.layer}, {"raw_plain_loio", json_number(l.mean)}, {"per_fold", folds}});
  }
  out["layers"] = layers;
  out["warnings"] = r.warnings;
  return out.dump(2) + "\n";
}

std::string patch_csv(const PatchResult& r) {
  auto v = [](double x) { return std::isfinite(x) ? fmt::format("{:.10g}", x) : std::string(); };
  std::string out = "layer,raw,ceiling,ceiled_ratio,ceiled_ev2019,ceiled_ev2026,sem,published_ceiling\n";
  const Score& s = r.score;
  out += fmt::format("nested,{},{},{},{},{},{},{}\n", v(s.raw), v(s.ceiling), v(s.ceiled.ratio),
                     v(s.ceiled.ev2019), v(s.ceiled.ev2026), v(s.sem), v(r.published_ceiling));
  for (const auto& l : r.layers) out += fmt::format("{},{},,,,,,\n", l.layer, v(l.mean));
  return out;
}

}  // namespace ventral::neural_fit
