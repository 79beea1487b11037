// An ablation grid (`ventral ablate GRID.toml`): a base training configuration, the variants
// (an explicit list, axes whose product is taken, or both, minus exclusions), the seeds and
// the benchmarks, expanded into numbered runs. Pure: reads a TOML file, returns the runs.
//
//   [grid]       name, seeds = [1, 2], checkpoint = "last" | "best"
//   [train]      keys of `ventral train --config` shared by every run
//   [[variant]]  name = "...", then the keys that variant sets (they replace [train]'s)
//   [axes]       key = [value, value, ...]: every variant is run with each value
//   [[exclude]]  key = value, ... (variant = "NAME" too): combinations left out
//   [[benchmark]] name = "...", label = "..." (column prefix), then the benchmark's arguments
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ventral::ablation {

/// One benchmark of the grid: `ventral score`'s NAME:key=value,... spec and its column label.
struct GridBenchmark {
  std::string label;
  std::string spec;
};

/// One training run: a variant (with its axis values) and a seed.
struct GridRun {
  int index = 0;      ///< 0-based, the Slurm array task id and `--only K`
  std::string id;     ///< the run folder's name under the output folder
  std::string label;  ///< variant name and axis values ("wide harmonize-weight=1")
  std::string variant;
  int64_t seed = 0;
  /// The value (as text) of every option that some variant or axis sets, for this run; empty
  /// when this run leaves it to [train] and [train] does not set it either.
  std::vector<std::pair<std::string, std::string>> options;
  std::string train_toml;      ///< the complete `ventral train --config` file of this run
  std::string device = "cpu";  ///< the run's --device, which scoring uses too
};

struct Grid {
  std::string name;
  std::string checkpoint = "last";  ///< which checkpoint of each run is scored
  std::vector<int64_t> seeds;
  std::vector<std::string> option_columns;  ///< keys set by variants or axes, in file order
  std::vector<std::string> axis_keys;       ///< the [axes] keys, in key order
  std::vector<GridBenchmark> benchmarks;
  std::vector<GridRun> runs;
  /// The [[benchmark]] tables as a `ventral score --benchmarks` file.
  std::string benchmarks_toml;
};

/// Reads and expands a grid file. `train_keys` are the options `ventral train` accepts; a key
/// outside them names the valid ones. Throws Error naming the file for an unreadable file, an
/// unknown key, an empty grid or two variants that would train identically.
Grid read_grid(const std::string& path, const std::vector<std::string>& train_keys);

/// The run named by `selector`: its index or its id. Error listing the valid range.
const GridRun& find_run(const Grid& grid, const std::string& selector);

}  // namespace ventral::ablation
