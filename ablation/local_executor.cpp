#include "ablation/local_executor.h"

#include <fmt/core.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <deque>
#include <filesystem>
#include <fstream>
#include <map>

#include "ablation/run_folder_state.h"
#include "common/error.h"
#include "common/subprocess.h"

namespace ventral::ablation {

std::string format_duration(double seconds) {
  const auto s = static_cast<long>(std::lround(std::max(0.0, seconds)));
  if (s >= 3600) return fmt::format("{}h {:02}m", s / 3600, (s % 3600) / 60);
  if (s >= 60) return fmt::format("{}m {:02}s", s / 60, s % 60);
  return fmt::format("{} s", s);
}

namespace {

// The last non-empty line of a log: the one-line error of a run that failed before it could
// record one (its folder made by another variant, ...).
std::string last_line_of(const std::string& path) {
  std::ifstream in(path);
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

}  // namespace

GridOutcome run_local(const Grid& grid, const LocalOptions& options) {
  using clock = std::chrono::steady_clock;
  const auto start = clock::now();
  const std::string digest = text_digest(grid.benchmarks_toml);
  const int jobs = std::max(1, options.jobs);
  const int threads = std::max(1, options.cores / jobs);
  const int total = static_cast<int>(grid.runs.size());
  GridOutcome outcome;
  std::deque<const GridRun*> pending;
  for (const auto& run : grid.runs) {
    if (run_finished(options.out_dir, run, digest)) {
      ++outcome.skipped;
      continue;
    }
    pending.push_back(&run);
  }
  const int to_run = static_cast<int>(pending.size());
  fmt::print(
      "ablate {}: {} runs, {} to run ({} finished earlier, skipped), {} at a time with {} threads each; "
      "folder {}\n",
      grid.name, total, to_run, outcome.skipped, std::min(jobs, std::max(1, to_run)), threads,
      options.out_dir);
  std::fflush(stdout);
  std::map<pid_t, std::pair<const GridRun*, clock::time_point>> running;
  int finished = 0;
  while (!pending.empty() || !running.empty()) {
    while (!pending.empty() && static_cast<int>(running.size()) < jobs) {
      const GridRun* run = pending.front();
      pending.pop_front();
      const std::string dir = run_dir(options.out_dir, *run);
      std::error_code ec;
      std::filesystem::create_directories(dir, ec);
      const pid_t pid = start_process(
          {{options.ventral, "ablate", options.grid_path, "--out", options.out_dir, "--only", run->id,
            "--threads", std::to_string(threads)},
           dir + "/ablate.log"});
      running[pid] = {run, clock::now()};
      fmt::print("[{}/{}] start {} (log {}/ablate.log)\n", run->index + 1, total, run->id, dir);
      std::fflush(stdout);
    }
    const auto [pid, code] = wait_any_process();
    if (pid < 0) break;
    auto it = running.find(pid);
    if (it == running.end()) continue;
    const auto [run, began] = it->second;
    running.erase(it);
    ++finished;
    const double took = std::chrono::duration<double>(clock::now() - began).count();
    const auto state = read_run_state(options.out_dir, *run);
    std::string what;
    if (code == 0 && state.stage == "done") {
      ++outcome.done;
      what = fmt::format("done in {}", format_duration(took));
    } else {
      ++outcome.failed;
      const std::string log = run_dir(options.out_dir, *run) + "/ablate.log";
      std::string error = state.stage == "failed" ? state.error : "";
      if (error.empty()) error = last_line_of(log);
      what = fmt::format("FAILED after {}: {} (log {})", format_duration(took),
                         error.empty() ? fmt::format("exit code {}", code) : error, log);
    }
    const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
    const int left = to_run - finished;
    const std::string eta = left > 0
                                ? fmt::format(", ETA {}", format_duration(elapsed / finished * left))
                                : "";
    fmt::print("[{}/{}] {} {}; {} of {} runs finished, {} elapsed{}\n", run->index + 1, total, run->id,
               what, finished, to_run, format_duration(elapsed), eta);
    std::fflush(stdout);
  }
  outcome.seconds = std::chrono::duration<double>(clock::now() - start).count();
  return outcome;
}

}  // namespace ventral::ablation
