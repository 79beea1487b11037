// Runs a grid on this machine: up to `jobs` runs at once, each a child `ventral ablate GRID
// --only ID` process (so a crash of one run cannot take the grid down) with the cores split
// between them; one progress line per run start and end with the grid's ETA.
#pragma once

#include <string>

#include "ablation/grid.h"

namespace ventral::ablation {

struct LocalOptions {
  std::string grid_path, out_dir;
  std::string ventral;  ///< the ventral executable
  int jobs = 1;
  int cores = 1;  ///< split between the jobs: each gets max(1, cores / jobs) threads
};

struct GridOutcome {
  int done = 0, failed = 0, skipped = 0;
  double seconds = 0;
};

GridOutcome run_local(const Grid& grid, const LocalOptions& options);

/// "1h 02m", "3m 12s", "42 s".
std::string format_duration(double seconds);

}  // namespace ventral::ablation
