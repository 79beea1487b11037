// One run of a grid, start to end: `ventral train` on the run's variant.toml (resumed from
// last.pt when an earlier attempt was interrupted), then `ventral score` on its checkpoint
// with the grid's benchmarks. The same ventral binary runs both, as child processes, so a run
// is trained exactly as `ventral train --config` trains it. Used by `--only K` (directly,
// or in a Slurm array task) and, through it, by the local executor.
#pragma once

#include <string>

#include "ablation/grid.h"

namespace ventral::ablation {

struct WorkerOptions {
  std::string out_dir;
  std::string ventral;  ///< the ventral executable
  int threads = 1;      ///< --threads of the train and score commands
};

/// Runs (or finishes) `run`; its state is in OUT/<id>/ablate.json. A run already done with the
/// same benchmarks is skipped. Returns true when the run is done (some benchmarks may have
/// failed, as recorded in scores.json), false when training or scoring failed. Throws Error
/// when the run folder was made by a different variant.
bool run_grid_run(const Grid& grid, const GridRun& run, const WorkerOptions& options);

}  // namespace ventral::ablation
