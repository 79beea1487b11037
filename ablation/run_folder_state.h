// The files `ventral ablate` keeps in its output folder, and what they say about each run:
//   OUT/grid.toml          the grid as given (another grid's folder is refused)
//   OUT/benchmarks.toml    the [[benchmark]] tables, as `ventral score --benchmarks` reads them
//   OUT/<run id>/          a normal `ventral train` run folder, plus
//     variant.toml         the run's `ventral train --config` file
//     ablate.json          stage (training, trained, done, failed), wall times, error
//     scores.json          `ventral score` on the run's checkpoint
#pragma once

#include <string>

#include "ablation/grid.h"

namespace ventral::ablation {

struct RunState {
  std::string stage;  ///< "" (not started), "training", "trained", "done", "failed"
  double train_seconds = 0, score_seconds = 0;
  std::string failed_step;  ///< "train" or "score" when stage is "failed"
  std::string error;        ///< the failing command's last error line
  std::string benchmarks;   ///< digest of the benchmarks.toml that scored it
  int failed_benchmarks = 0;
};

/// OUT/<run id>/ablate.json; a missing file is a run not started.
RunState read_run_state(const std::string& out_dir, const GridRun& run);
void write_run_state(const std::string& out_dir, const GridRun& run, const RunState& state);

std::string run_dir(const std::string& out_dir, const GridRun& run);

/// Whether `run` is finished as the grid now defines it: done, scored on these benchmarks, and
/// trained from the same variant.toml (a folder trained with other settings is not finished).
bool run_finished(const std::string& out_dir, const GridRun& run, const std::string& benchmarks_digest);

/// A short digest of a text (FNV-1a, hex): which benchmarks file scored a run.
std::string text_digest(const std::string& text);

/// Makes OUT ready for `grid`: creates it with grid.toml and benchmarks.toml, or accepts a
/// folder of the same grid. A folder holding another grid is refused unless `resume` (then its
/// grid.toml is replaced); a non-empty folder without grid.toml is refused. Throws Error.
void prepare_output(const std::string& out_dir, const std::string& grid_path,
                    const std::string& grid_text, const Grid& grid, bool resume);

}  // namespace ventral::ablation
