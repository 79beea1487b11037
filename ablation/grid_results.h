// What a grid's runs produced, gathered from their folders (ablate.json, scores.json), as
// OUT/results.csv (one row per run) and OUT/report.md (mean and spread over seeds per variant,
// the Pareto plots, the failures).
#pragma once

#include <limits>
#include <map>
#include <string>
#include <vector>

#include "ablation/grid.h"
#include "ablation/run_folder_state.h"

namespace ventral::ablation {

constexpr double kMissing = std::numeric_limits<double>::quiet_NaN();

struct BenchmarkValue {
  bool scored = false;
  std::string error;
  double raw = kMissing, ceiling = kMissing;
  std::map<std::string, double> ceiled;
  /// The value plotted and tabled: the "ratio" ceiled value when there is one, else raw.
  double headline() const;
};

struct RunResult {
  const GridRun* run = nullptr;
  RunState state;
  bool scored = false;
  double parameters = kMissing, forward_flops = kMissing, training_flops = kMissing;
  std::vector<BenchmarkValue> benchmarks;  ///< in the grid's benchmark order
};

/// Reads every run's folder; runs not started, unfinished or failed are included with their
/// stage. Throws Error naming a scores.json that cannot be read.
std::vector<RunResult> collect_results(const Grid& grid, const std::string& out_dir);

std::string results_csv(const Grid& grid, const std::vector<RunResult>& results);

/// Mean and sample standard deviation of one number over a variant's finished seeds.
struct Spread {
  double mean = kMissing, sd = kMissing;
  int n = 0;
};

struct VariantSummary {
  std::string label, variant;
  std::vector<std::pair<std::string, std::string>> options;
  std::vector<Spread> benchmarks;  ///< headline values, in the grid's benchmark order
  Spread train_seconds, parameters, forward_flops, training_flops;
  int runs = 0, done = 0;
};

/// One summary per variant (label), in grid order.
std::vector<VariantSummary> summarise(const Grid& grid, const std::vector<RunResult>& results);

/// The benchmark index that plays a role in the plots: "recognition",
/// "alignment" (clickme-alignment), "neural" (neural-pls, else it-patch); -1 when absent.
int benchmark_for(const Grid& grid, const std::string& role);

/// report.md; `plots` are the image files (relative to OUT) to show, with captions.
std::string report_markdown(const Grid& grid, const std::vector<RunResult>& results,
                            const std::vector<std::pair<std::string, std::string>>& plots);

}  // namespace ventral::ablation
