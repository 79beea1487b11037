// Fit results as files and text: the console table, JSON (one object per layer with
// every convention named, per-split and per-neuroid r) and CSV (one row per layer).
#pragma once

#include <string>
#include <vector>

#include "neural_fit/fit_standard.h"
#include "neural_fit/patch_protocol.h"

namespace ventral::neural_fit {

/// What produced the results, written with them.
struct RunInfo {
  std::string features, neural, method, correlation, aggregation, protocol, splits, region, time_bin;
  Index pca = 0;
  std::uint64_t seed = 0;
};

/// Console table: layer, raw, ceiling, ceiled_ratio, ceiled_ev2019, ceiled_ev2026, sem, neuroids.
std::string format_table(const std::vector<LayerScore>& layers, const NeuralTarget& target);
std::string standard_json(const std::vector<LayerScore>& layers, const NeuralTarget& target,
                          const RunInfo& info);
std::string standard_csv(const std::vector<LayerScore>& layers, const NeuralTarget& target);

std::string format_patch_table(const PatchResult& result);
std::string patch_json(const PatchResult& result, const RunInfo& info);
std::string patch_csv(const PatchResult& result);

}  // namespace ventral::neural_fit
