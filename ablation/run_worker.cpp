#include "ablation/run_worker.h"

#include <fmt/core.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ablation/run_folder_state.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/subprocess.h"

namespace ventral::ablation {
namespace fs = std::filesystem;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Whether the run folder's training ran to its end: `ventral train` closes train.log with a
// "finished in ..." line (a run stopped during training has none, or a later start line).
bool training_finished(const std::string& dir) {
  std::ifstream in(dir + "/train.log");
  std::string line, last;
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last.rfind("finished in ", 0) == 0;
}

}  // namespace

bool run_grid_run(const Grid& grid, const GridRun& run, const WorkerOptions& options) {
  const std::string dir = run_dir(options.out_dir, run);
  const std::string benchmarks_file = options.out_dir + "/benchmarks.toml";
  const std::string digest = text_digest(grid.benchmarks_toml);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) fail("{}: cannot create the run folder ({})", dir, ec.message());
  const std::string variant_file = dir + "/variant.toml";
  if (fs::exists(variant_file, ec)) {
    std::string stored;
    read_text_file(variant_file, &stored);
    if (stored != run.train_toml)
      fail(
          "{}: trained with other settings than the grid's '{}' (variant.toml differs); remove the folder "
          "to train it again",
          dir, run.label);
  } else {
    write_text_file(variant_file, run.train_toml);
  }

  RunState state = read_run_state(options.out_dir, run);
  if (state.stage == "done" && state.benchmarks == digest) {
    fmt::print("run {} ({}): finished earlier, skipped\n", run.index, run.id);
    return true;
  }
  const std::string threads = std::to_string(options.threads);
  const bool trained = state.stage == "trained" || state.stage == "done" ||
                       (state.stage == "failed" && state.failed_step == "score") ||
                       (fs::exists(dir + "/last.pt", ec) && training_finished(dir));
  if (!trained) {
    std::vector<std::string> argv = {options.ventral, "train", "--config",  variant_file,
                                     "--output",      dir,     "--threads", threads};
    if (fs::exists(dir + "/last.pt", ec)) {
      argv.insert(argv.end(), {"--resume", dir + "/last.pt"});
      fmt::print("run {} ({}): resuming training from {}/last.pt\n", run.index, run.id, dir);
    }
    state.stage = "training";
    write_run_state(options.out_dir, run, state);
    const auto start = std::chrono::steady_clock::now();
    std::string error;
    const int code = run_process({argv, ""}, &error);
    state.train_seconds += seconds_since(start);
    if (code != 0) {
      state.stage = "failed";
      state.failed_step = "train";
      state.error = error.empty() ? fmt::format("ventral train exited with code {}", code) : error;
      write_run_state(options.out_dir, run, state);
      return false;
    }
    state.stage = "trained";
    write_run_state(options.out_dir, run, state);
  }
  const std::vector<std::string> argv = {options.ventral, "score",
                                         "--checkpoint",  dir + "/" + grid.checkpoint + ".pt",
                                         "--benchmarks",  benchmarks_file,
                                         "--out",         dir + "/scores.json",
                                         "--device",      run.device,
                                         "--threads",     threads};
  const auto start = std::chrono::steady_clock::now();
  std::string error;
  const int code = run_process({argv, ""}, &error);
  state.score_seconds = seconds_since(start);
  // Exit 1 with a scores.json: some benchmarks failed, each recorded there; the run is done.
  if (code == 0 || (code == 1 && fs::exists(dir + "/scores.json", ec))) {
    state.stage = "done";
    state.failed_step.clear();
    state.error.clear();
    state.benchmarks = digest;
    state.failed_benchmarks = code;
    write_run_state(options.out_dir, run, state);
    return true;
  }
  state.stage = "failed";
  state.failed_step = "score";
  state.error = error.empty() ? fmt::format("ventral score exited with code {}", code) : error;
  write_run_state(options.out_dir, run, state);
  return false;
}

}  // namespace ventral::ablation
