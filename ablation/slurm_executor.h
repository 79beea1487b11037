// Runs a grid on a Slurm cluster: one `sbatch` job array (a task per run, each running
// `ventral ablate GRID --only $SLURM_ARRAY_TASK_ID`) and a collect job that starts when the
// array has ended (afterany, so failed runs are collected too) and writes the results.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ablation/grid.h"

namespace ventral::ablation {

struct SlurmOptions {
  std::string grid_path, out_dir;
  std::string ventral;   ///< the ventral executable, as the compute nodes see it
  std::string work_dir;  ///< the jobs' working folder (the grid's relative paths start there)
  /// --slurm-opt KEY=VALUE, passed as `#SBATCH --KEY=VALUE` (partition, time, gres, ...).
  std::vector<std::pair<std::string, std::string>> sbatch_options;
};

struct SlurmSubmission {
  std::string array_job, collect_job;
  std::string array_script, collect_script;
};

/// Parses KEY=VALUE; Error naming the option otherwise.
std::pair<std::string, std::string> parse_slurm_option(const std::string& text);

/// The two batch scripts (pure; exposed for tests): {array script, collect script}.
std::pair<std::string, std::string> slurm_scripts(const Grid& grid, const SlurmOptions& options);

/// Writes OUT/slurm/{array,collect}.sbatch and submits them with sbatch. Error naming the
/// sbatch output when a submission fails.
SlurmSubmission submit_slurm(const Grid& grid, const SlurmOptions& options);

}  // namespace ventral::ablation
