#include "ablation/slurm_executor.h"

#include <fmt/core.h>

#include <filesystem>
#include <set>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/subprocess.h"

namespace ventral::ablation {
namespace {

// Single-quoted for sh.
std::string quoted(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

// Options that ask for accelerators or many CPUs matter to the training tasks only.
bool for_tasks_only(const std::string& key) {
  static const std::set<std::string> keys = {"gres",          "gpus",         "gpus-per-task",
                                             "gpus-per-node", "cpus-per-gpu", "mem-per-gpu",
                                             "array",         "gpu-bind",     "cpus-per-task",
                                             "ntasks-per-gpu"};
  return keys.count(key) > 0;
}

std::string trim_id(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' '))
    text.pop_back();
  // --parsable prints "jobid" or "jobid;cluster"
  if (auto semicolon = text.find(';'); semicolon != std::string::npos) text.resize(semicolon);
  return text;
}

}  // namespace

std::pair<std::string, std::string> parse_slurm_option(const std::string& text) {
  const auto eq = text.find('=');
  std::string key = text.substr(0, eq);
  while (!key.empty() && key.front() == '-') key.erase(key.begin());
  if (eq == std::string::npos || key.empty() || eq + 1 >= text.size())
    fail("--slurm-opt {}: expected KEY=VALUE, e.g. --slurm-opt partition=gpu --slurm-opt time=02:00:00",
         text);
  if (key == "array" || key == "dependency" || key == "output" || key == "error" || key == "parsable")
    fail("--slurm-opt {}: ablate sets --{} itself", text, key);
  return {key, text.substr(eq + 1)};
}

std::pair<std::string, std::string> slurm_scripts(const Grid& grid, const SlurmOptions& options) {
  const std::string logs = options.out_dir + "/slurm";
  std::string array = "#!/bin/sh\n";
  array += fmt::format("#SBATCH --job-name=ablate-{}\n", grid.name);
  array += fmt::format("#SBATCH --array=0-{}\n", grid.runs.size() - 1);
  array += fmt::format("#SBATCH --output={}/run-%A_%a.out\n", logs);
  if (!options.work_dir.empty()) array += fmt::format("#SBATCH --chdir={}\n", options.work_dir);
  std::string collect = "#!/bin/sh\n";
  collect += fmt::format("#SBATCH --job-name=ablate-{}-collect\n", grid.name);
  collect += fmt::format("#SBATCH --output={}/collect-%j.out\n", logs);
  if (!options.work_dir.empty()) collect += fmt::format("#SBATCH --chdir={}\n", options.work_dir);
  for (const auto& [key, value] : options.sbatch_options) {
    array += fmt::format("#SBATCH --{}={}\n", key, value);
    if (!for_tasks_only(key)) collect += fmt::format("#SBATCH --{}={}\n", key, value);
  }
  // Each task uses the CPUs Slurm gave it (1 unless --slurm-opt cpus-per-task=N).
  array += fmt::format(
      "# one run of the grid per array task; the same command runs it by hand: --only <task id>\n"
      "exec {} ablate {} --out {} --only \"$SLURM_ARRAY_TASK_ID\" --threads \"${{SLURM_CPUS_PER_TASK:-1}}\"\n",
      quoted(options.ventral), quoted(options.grid_path), quoted(options.out_dir));
  collect += fmt::format(
      "# results.csv, report.md and the plots from whatever runs finished\nexec {} ablate {} --out {} --collect\n",
      quoted(options.ventral), quoted(options.grid_path), quoted(options.out_dir));
  return {array, collect};
}

SlurmSubmission submit_slurm(const Grid& grid, const SlurmOptions& options) {
  if (!program_available("sbatch"))
    fail(
        "--executor slurm: sbatch not found in PATH (Debian: slurm-client; a cluster's login node has it)");
  const auto [array, collect] = slurm_scripts(grid, options);
  const std::string dir = options.out_dir + "/slurm";
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) fail("{}: cannot create the folder ({})", dir, ec.message());
  SlurmSubmission s;
  s.array_script = dir + "/array.sbatch";
  s.collect_script = dir + "/collect.sbatch";
  write_text_files({{s.array_script, array}, {s.collect_script, collect}});
  int code = 0;
  const std::string array_out = capture_process({"sbatch", "--parsable", s.array_script}, &code);
  s.array_job = trim_id(array_out);
  if (code != 0 || s.array_job.empty())
    fail("sbatch {} failed (exit {}): {}", s.array_script, code, array_out);
  const std::string collect_out = capture_process(
      {"sbatch", "--parsable", "--dependency=afterany:" + s.array_job, s.collect_script}, &code);
  s.collect_job = trim_id(collect_out);
  if (code != 0 || s.collect_job.empty())
    fail("sbatch {} failed (exit {}): {}; the array job {} was submitted", s.collect_script, code,
         collect_out, s.array_job);
  return s;
}

}  // namespace ventral::ablation
