// `ventral ablate GRID.toml --out DIR`: a grid of training runs (ablation/grid.h), each
// trained by `ventral train` and scored by `ventral score` in its own folder, run here with
// --jobs N or on Slurm, gathered into results.csv, report.md and Pareto plots.
#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ablation/grid.h"
#include "ablation/grid_results.h"
#include "ablation/local_executor.h"
#include "ablation/pareto_plot.h"
#include "ablation/run_folder_state.h"
#include "ablation/run_worker.h"
#include "ablation/slurm_executor.h"
#include "apps/commands.h"
#include "apps/config_file.h"
#include "benchmarks/registry.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/subprocess.h"
#include "training/trainer.h"

namespace ventral::cli {

training::TrainOptions train_options(const Params& p);  // apps/cmd_train.cpp

namespace {

// The long names of `ventral train`'s options: the keys a grid may set.
std::vector<std::string> train_keys() {
  std::vector<std::string> keys;
  for (const auto& def : option_table()) {
    if (std::find(def.commands.begin(), def.commands.end(), "train") == def.commands.end()) continue;
    std::stringstream flags(def.flags);
    std::string name, longest;
    while (std::getline(flags, name, ',')) {
      if (name.rfind("--", 0) == 0) longest = name.substr(2);
    }
    if (!longest.empty()) keys.push_back(longest);
  }
  return keys;
}

// Every run's configuration read as `ventral train --config` reads it, and turned into
// training options, so a bad value fails here, before anything trains.
void check_train_configs(const ablation::Grid& grid, const std::string& grid_path) {
  for (const auto& run : grid.runs) {
    Params params = params_for("train");
    CLI::App app("train", "train");
    attach_options(app, "train", params);
    app.parse(std::vector<std::string>{});
    apply_config_text(app, run.train_toml, fmt::format("{}: run '{}'", grid_path, run.label));
    params.output = "unused";
    try {
      (void)train_options(params);
    } catch (const Error& e) {
      fail("{}: run '{}': {}", grid_path, run.label, e.what());
    }
  }
}

std::string read_grid_text(const std::string& path) {
  std::string text;
  if (!read_text_file(path, &text)) fail("{}: cannot read the grid file", path);
  return text;
}

// A variant's point: coloured by the last axis's value (harmonize-weight=1), labelled by the
// variant and any other axis values.
ablation::ParetoPoint plot_point(const ablation::Grid& grid, const ablation::VariantSummary& s, double x,
                                 double y) {
  ablation::ParetoPoint point{s.variant, x, y, ""};
  for (const auto& [key, value] : s.options) {
    if (std::find(grid.axis_keys.begin(), grid.axis_keys.end(), key) == grid.axis_keys.end()) continue;
    if (key == grid.axis_keys.back()) {
      point.group = key + "=" + value;
    } else {
      point.label += " " + key + "=" + value;
    }
  }
  return point;
}

// results.csv, report.md and the Pareto plots from whatever runs have finished. Returns false
// when a plot could not be drawn (the table and report are still written).
bool collect(const ablation::Grid& grid, const std::string& out) {
  const auto results = ablation::collect_results(grid, out);
  const auto summaries = ablation::summarise(grid, results);
  const int top1 = ablation::benchmark_for(grid, "recognition");
  std::vector<std::pair<std::string, std::string>> plots;
  bool drawn = true;
  for (const auto& [role, axis] :
       std::vector<std::pair<std::string, std::string>>{{"alignment",
                                                         "ClickMe alignment (Spearman / human ceiling)"},
                                                        {"neural", "neural predictivity (ceiled)"}}) {
    const int other = ablation::benchmark_for(grid, role);
    if (top1 < 0 || other < 0) continue;
    ablation::ParetoPlot plot;
    plot.base = out + "/pareto_" + role;
    plot.title = fmt::format("{}: top-1 ({}) against {} ({})", grid.name, grid.benchmarks[top1].label,
                             role, grid.benchmarks[other].label);
    plot.x_label = "top-1 (%)";
    plot.y_label = axis;
    for (const auto& s : summaries) {
      const auto &x = s.benchmarks[top1], &y = s.benchmarks[other];
      if (x.n == 0 || y.n == 0) continue;
      plot.points.push_back(plot_point(grid, s, 100 * x.mean, y.mean));
      plot.x_sd.push_back(x.n > 1 ? 100 * x.sd : 0);
      plot.y_sd.push_back(y.n > 1 ? y.sd : 0);
    }
    if (plot.points.empty()) continue;
    try {
      ablation::draw_pareto(plot);
      plots.emplace_back(
          "pareto_" + role + ".png",
          fmt::format("Top-1 against {} (mean over seeds; the line joins the Pareto front)", role));
    } catch (const Error& e) {
      fmt::print(stderr, "ventral ablate: {}\n", e.what());
      drawn = false;
    }
  }
  write_text_files({{out + "/results.csv", ablation::results_csv(grid, results)},
                    {out + "/report.md", ablation::report_markdown(grid, results, plots)}});
  int done = 0;
  for (const auto& r : results) done += r.scored ? 1 : 0;
  fmt::print("collected {} of {} runs: {}/results.csv, {}/report.md{}\n", done, results.size(), out, out,
             plots.empty() ? "" : fmt::format(", {} plots", plots.size()));
  for (const auto& s : summaries) {
    std::string line = fmt::format("  {:<40}", s.label);
    for (std::size_t k = 0; k < grid.benchmarks.size(); ++k) {
      const auto& v = s.benchmarks[k];
      line += v.n ? fmt::format("  {} {:.4f}", grid.benchmarks[k].label, v.mean)
                  : fmt::format("  {} –", grid.benchmarks[k].label);
    }
    fmt::print("{}\n", line);
  }
  return drawn;
}

}  // namespace

int run_ablate(const Params& p) {
  if (p.grid.empty())
    fail(
        "GRID.toml: required, e.g. ventral ablate configs/ablations/hmax_progression.toml --out runs/grid");
  if (p.out.empty()) fail("--out: required, the grid's output folder");
  const std::string grid_text = read_grid_text(p.grid);
  const auto grid = ablation::read_grid(p.grid, train_keys());
  // Everything is checked before anything trains: benchmarks and their arguments, then every
  // run's training options.
  for (const auto& b : grid.benchmarks) {
    try {
      (void)benchmarks::configure_benchmark(b.spec);
    } catch (const Error& e) {
      fail("{}: benchmark '{}': {}", p.grid, b.label, e.what());
    }
  }
  check_train_configs(grid, p.grid);
  for (const char* name : {"results.csv", "report.md", "grid.toml", "benchmarks.toml"})
    refuse_input_as_output(p.out + "/" + name, {p.grid});
  if (p.collect) {
    if (!std::filesystem::exists(p.out + "/grid.toml"))
      fail("--out {}: no grid.toml there, so no runs of this grid to collect", p.out);
    ablation::prepare_output(p.out, p.grid, grid_text, grid, p.resume_grid);
    return collect(grid, p.out) ? 0 : 1;
  }
  ablation::prepare_output(p.out, p.grid, grid_text, grid, p.resume_grid);
  const std::string ventral = self_executable();
  if (!p.only.empty()) {
    const auto& run = ablation::find_run(grid, p.only);
    fmt::print("run {} of {} ({}, seed {}): {}/{}\n", run.index, grid.runs.size(), run.label, run.seed,
               p.out, run.id);
    std::fflush(stdout);
    return ablation::run_grid_run(grid, run, {p.out, ventral, at::get_num_threads()}) ? 0 : 1;
  }
  if (p.executor == "slurm") {
    ablation::SlurmOptions options;
    options.grid_path = std::filesystem::absolute(p.grid).string();
    options.out_dir = std::filesystem::absolute(p.out).string();
    options.ventral = ventral;
    options.work_dir = std::filesystem::current_path().string();
    for (const auto& o : p.slurm_opts) options.sbatch_options.push_back(ablation::parse_slurm_option(o));
    const auto s = ablation::submit_slurm(grid, options);
    fmt::print(
        "submitted array job {} ({} runs, {}) and collect job {} (after the array ends, {}); results in "
        "{}/results.csv; watch with: squeue -j {},{}\n",
        s.array_job, grid.runs.size(), s.array_script, s.collect_job, s.collect_script, p.out,
        s.array_job, s.collect_job);
    return 0;
  }
  const auto outcome = ablation::run_local(grid,
                                           {p.grid, p.out, ventral, p.jobs, at::get_num_threads()});
  fmt::print("grid {}: {} runs done, {} failed, {} skipped (finished earlier) in {}\n", grid.name,
             outcome.done, outcome.failed, outcome.skipped, ablation::format_duration(outcome.seconds));
  const bool drawn = collect(grid, p.out);
  return outcome.failed == 0 && drawn ? 0 : 1;
}

}  // namespace ventral::cli
