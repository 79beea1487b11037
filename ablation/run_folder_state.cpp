#include "ablation/run_folder_state.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "common/atomic_output.h"
#include "common/error.h"

namespace ventral::ablation {
namespace fs = std::filesystem;

namespace {

// A missing file reads as empty: a run folder not made yet.
std::string read_text(const std::string& path) {
  std::string text;
  read_text_file(path, &text);
  return text;
}

}  // namespace

std::string run_dir(const std::string& out_dir, const GridRun& run) { return out_dir + "/" + run.id; }

std::string text_digest(const std::string& text) {
  std::uint64_t hash = 1469598103934665603ULL;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ULL;
  }
  std::ostringstream out;
  out << std::hex << hash;
  return out.str();
}

bool run_finished(const std::string& out_dir, const GridRun& run, const std::string& benchmarks_digest) {
  const auto state = read_run_state(out_dir, run);
  return state.stage == "done" && state.benchmarks == benchmarks_digest &&
         read_text(run_dir(out_dir, run) + "/variant.toml") == run.train_toml;
}

RunState read_run_state(const std::string& out_dir, const GridRun& run) {
  RunState state;
  const std::string path = run_dir(out_dir, run) + "/ablate.json";
  std::error_code ec;
  if (!fs::exists(path, ec)) return state;
  try {
    const auto j = nlohmann::json::parse(read_text(path));
    state.stage = j.value("stage", "");
    state.train_seconds = j.value("train_seconds", 0.0);
    state.score_seconds = j.value("score_seconds", 0.0);
    state.failed_step = j.value("failed_step", "");
    state.error = j.value("error", "");
    state.benchmarks = j.value("benchmarks", "");
    state.failed_benchmarks = j.value("failed_benchmarks", 0);
  } catch (const nlohmann::json::exception& e) {
    fail("{}: not a run state written by ventral ablate ({})", path, e.what());
  }
  return state;
}

void write_run_state(const std::string& out_dir, const GridRun& run, const RunState& state) {
  const nlohmann::json j = {{"run", run.id},
                            {"label", run.label},
                            {"seed", run.seed},
                            {"stage", state.stage},
                            {"train_seconds", state.train_seconds},
                            {"score_seconds", state.score_seconds},
                            {"failed_step", state.failed_step},
                            {"error", state.error},
                            {"benchmarks", state.benchmarks},
                            {"failed_benchmarks", state.failed_benchmarks}};
  write_text_file(run_dir(out_dir, run) + "/ablate.json", j.dump(1) + "\n");
}

void prepare_output(const std::string& out_dir, const std::string& grid_path,
                    const std::string& grid_text, const Grid& grid, bool resume) {
  std::error_code ec;
  const std::string stored = out_dir + "/grid.toml";
  if (fs::exists(out_dir, ec)) {
    if (!fs::is_directory(out_dir, ec)) fail("--out {}: exists and is not a folder", out_dir);
    if (fs::exists(stored, ec)) {
      if (read_text(stored) != grid_text) {
        if (!resume)
          fail(
              "--out {}: holds another grid's results ({} differs from {}); choose another --out, or give "
              "--resume to go on there with this grid",
              out_dir, stored, grid_path);
      }
    } else if (fs::directory_iterator(out_dir, ec) != fs::directory_iterator()) {
      fail(
          "--out {}: not empty and holds no grid.toml, so not a `ventral ablate` folder; choose another --out",
          out_dir);
    }
  }
  fs::create_directories(out_dir, ec);
  if (ec) fail("--out {}: cannot create the folder ({})", out_dir, ec.message());
  if (!fs::exists(stored, ec) || read_text(stored) != grid_text) write_text_file(stored, grid_text);
  const std::string benchmarks = out_dir + "/benchmarks.toml";
  if (!fs::exists(benchmarks, ec) || read_text(benchmarks) != grid.benchmarks_toml)
    write_text_file(benchmarks, grid.benchmarks_toml);
}

}  // namespace ventral::ablation
