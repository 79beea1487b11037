// ablation: the Pareto front, the results table and report from run folders, the output
// folder's guard, the Slurm scripts and the gnuplot files.
#include <catch2/catch.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "ablation/grid.h"
#include "ablation/grid_results.h"
#include "ablation/pareto.h"
#include "ablation/pareto_plot.h"
#include "ablation/run_folder_state.h"
#include "ablation/slurm_executor.h"
#include "common/csv.h"
#include "common/error.h"
#include "tests/test_paths.h"

using namespace ventral::ablation;
using Catch::Matchers::Contains;
namespace fs = std::filesystem;

namespace {

const std::vector<std::string> kTrainKeys = {"model", "lr", "seed"};

Grid small_grid(const std::string& name) {
  const auto path = ventral::testing::temp_path(name + ".toml");
  std::ofstream(path) << R"([grid]
name = "small"
seeds = [1, 2]
[axes]
lr = [0.1, 0.2]
[[benchmark]]
name = "recognition"
label = "top1"
data = "idx:/d"
[[benchmark]]
name = "clickme-alignment"
clickme = "clickme:/c.h5"
)";
  return read_grid(path, kTrainKeys);
}

void write(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
}

std::string scores(double top1, double alignment_ratio) {
  return "{\"model\": {\"parameters\": 100, \"forward_flops\": 2000, \"training_flops\": 6e9},"
         "\"benchmarks\": [{\"name\": \"recognition\", \"raw\": " +
         std::to_string(top1) + ", \"ceiling\": 1, \"ceiled\": {\"ratio\": " + std::to_string(top1) +
         "}}, {\"name\": \"clickme-alignment\", \"raw\": 0.3, \"ceiling\": 0.6, \"ceiled\": {\"ratio\": " +
         std::to_string(alignment_ratio) + "}}]}";
}

}  // namespace

TEST_CASE("the Pareto front keeps the points nothing beats on both axes", "[ablation]") {
  const std::vector<ParetoPoint> points = {{"a", 1, 5}, {"b", 2, 4},   {"c", 1.5, 3}, {"d", 3, 1},
                                           {"e", 2, 4}, {"f", 0.5, 5}, {"g", 3, 0.5}};
  // c is beaten by b; e duplicates b (the first is kept); f by a (same y, smaller x); g by d
  CHECK(pareto_front(points) == std::vector<std::size_t>{0, 1, 3});
  CHECK(pareto_front({}).empty());
  CHECK(pareto_front({{"only", 0, 0}}) == std::vector<std::size_t>{0});
}

TEST_CASE("results.csv and report.md from run folders: means, spreads, failures", "[ablation]") {
  const Grid grid = small_grid("results_grid");
  const std::string out = ventral::testing::temp_path("results_out");
  fs::remove_all(out);
  // lr=0.1: both seeds done; lr=0.2: seed 1 done with the alignment benchmark failed, seed 2
  // failed in training.
  RunState done;
  done.stage = "done";
  done.train_seconds = 60;
  done.benchmarks = text_digest(grid.benchmarks_toml);
  for (const auto& run : grid.runs) fs::create_directories(run_dir(out, run));
  for (int k : {0, 1, 2}) write_run_state(out, grid.runs[k], done);
  write(run_dir(out, grid.runs[0]) + "/scores.json", scores(0.8, 0.5));
  write(run_dir(out, grid.runs[1]) + "/scores.json", scores(0.9, 0.7));
  write(
      run_dir(out, grid.runs[2]) + "/scores.json",
      "{\"benchmarks\": [{\"name\": \"recognition\", \"raw\": 0.6, \"ceiling\": 1, \"ceiled\": {\"ratio\": 0.6}},"
      " {\"name\": \"clickme-alignment\", \"error\": \"clickme:/c.h5: no such file\"}]}");
  RunState failed;
  failed.stage = "failed";
  failed.failed_step = "train";
  failed.error = "ventral train: loss became NaN";
  write_run_state(out, grid.runs[3], failed);

  const auto results = collect_results(grid, out);
  REQUIRE(results.size() == 4);
  CHECK(results[0].scored);
  CHECK(results[0].parameters == 100);
  CHECK(results[2].benchmarks[1].error == "clickme:/c.h5: no such file");
  CHECK_FALSE(results[3].scored);

  const auto summaries = summarise(grid, results);
  REQUIRE(summaries.size() == 2);
  CHECK(summaries[0].benchmarks[0].mean == Approx(0.85));
  CHECK(summaries[0].benchmarks[0].sd == Approx(std::sqrt(0.005)));
  CHECK(summaries[0].benchmarks[1].mean == Approx(0.6));
  CHECK(summaries[1].done == 1);
  CHECK(summaries[1].benchmarks[1].n == 0);
  CHECK(benchmark_for(grid, "recognition") == 0);
  CHECK(benchmark_for(grid, "alignment") == 1);
  CHECK(benchmark_for(grid, "neural") == -1);

  const auto rows = ventral::parse_csv(results_csv(grid, results));
  REQUIRE(rows.size() == 5);
  const auto& header = rows[0];
  auto column = [&](const std::string& name) {
    const auto it = std::find(header.begin(), header.end(), name);
    REQUIRE(it != header.end());
    return static_cast<std::size_t>(it - header.begin());
  };
  CHECK(rows[1][column("lr")] == "0.1");
  CHECK(rows[3][column("lr")] == "0.2");
  CHECK(rows[1][column("top1")] == "0.8");
  CHECK(rows[2][column("clickme-alignment")] == "0.7");
  CHECK(rows[2][column("clickme-alignment_raw")] == "0.3");
  CHECK(rows[3][column("clickme-alignment")].empty());
  CHECK_THAT(rows[3][column("error")], Contains("clickme-alignment: clickme:/c.h5: no such file"));
  CHECK(rows[4][column("status")] == "failed");
  CHECK(rows[4][column("error")] == "ventral train: loss became NaN");
  CHECK(rows[1][column("training_flops")] == "6e+09");

  const auto report = report_markdown(grid, results, {{"pareto_alignment.png", "caption"}});
  CHECK_THAT(report, Contains("| base lr=0.1 | 0.850 ± 0.071 | 0.600 ± 0.141 |"));
  CHECK_THAT(report, Contains("| base lr=0.2 (1/2 runs) | 0.600 |"));
  CHECK_THAT(report,
             Contains("0.600 ± 0.141 | 100 | 0.0 | 0.006 | 1m 00s |"));  // no spread where seeds agree
  CHECK_THAT(report, Contains("3 finished, 1 failed"));
  CHECK_THAT(report, Contains("(train failed): ventral train: loss became NaN"));
  CHECK_THAT(report, Contains("![caption](pareto_alignment.png)"));
  fs::remove_all(out);
}

TEST_CASE("the output folder: created, reused for the same grid, another grid refused", "[ablation]") {
  const Grid grid = small_grid("prepare_grid");
  const std::string out = ventral::testing::temp_path("prepare_out");
  fs::remove_all(out);
  prepare_output(out, "g.toml", "text A", grid, false);
  CHECK(fs::exists(out + "/grid.toml"));
  CHECK(fs::exists(out + "/benchmarks.toml"));
  CHECK_NOTHROW(prepare_output(out, "g.toml", "text A", grid, false));
  CHECK_THROWS_WITH(prepare_output(out, "g2.toml", "text B", grid, false),
                    Contains("holds another grid's results") && Contains("--resume"));
  CHECK_NOTHROW(prepare_output(out, "g2.toml", "text B", grid, true));
  std::ifstream in(out + "/grid.toml");
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  CHECK(text == "text B");
  const std::string other = ventral::testing::temp_path("prepare_other");
  fs::remove_all(other);
  write(other + "/notes.txt", "mine");
  CHECK_THROWS_WITH(prepare_output(other, "g.toml", "text A", grid, false),
                    Contains("not a `ventral ablate` folder"));
  CHECK_FALSE(fs::exists(other + "/grid.toml"));
  fs::remove_all(out);
  fs::remove_all(other);
}

TEST_CASE("Slurm: one array task per run running --only, a collect job, options passed through",
          "[ablation]") {
  const Grid grid = small_grid("slurm_grid");
  SlurmOptions options;
  options.grid_path = "/g/grid.toml";
  options.out_dir = "/o/out dir";
  options.ventral = "/usr/bin/ventral";
  options.sbatch_options = {parse_slurm_option("partition=gpu"), parse_slurm_option("--gres=gpu:1")};
  const auto [array, collect] = slurm_scripts(grid, options);
  CHECK_THAT(array, Contains("#SBATCH --array=0-3\n"));
  CHECK_THAT(array, Contains("#SBATCH --partition=gpu\n"));
  CHECK_THAT(array, Contains("#SBATCH --gres=gpu:1\n"));
  CHECK_THAT(
      array,
      Contains(
          "exec '/usr/bin/ventral' ablate '/g/grid.toml' --out '/o/out dir' --only \"$SLURM_ARRAY_TASK_ID\""));
  CHECK_THAT(collect, Contains("#SBATCH --partition=gpu\n"));
  CHECK_THAT(collect, !Contains("gres"));
  CHECK_THAT(collect, Contains("--collect"));
  CHECK_THROWS_WITH(parse_slurm_option("partition"), Contains("KEY=VALUE"));
  CHECK_THROWS_WITH(parse_slurm_option("array=0-9"), Contains("sets --array itself"));
}

TEST_CASE("gnuplot files: the front by increasing x, then each group's points with their spread",
          "[ablation]") {
  ParetoPlot plot;
  plot.base = "/tmp/p";
  plot.title = "it's";
  plot.points = {{"a b", 90, 0.2, "w=0"}, {"c", 80, 0.5, "w=1"}, {"d", 70, 0.1, "w=0"}};
  plot.x_sd = {1, 0, 0};
  plot.y_sd = {0.01, 0, 0};
  const auto data = gnuplot_data(plot);
  CHECK(data ==
        "# block 0: the Pareto front by increasing x\n80 0.5\n90 0.2\n"
        "\n\n# group w=0: x y x_sd y_sd label\n90 0.2 1 0.01 \"a b\"\n70 0.1 0 0 \"d\"\n"
        "\n\n# group w=1: x y x_sd y_sd label\n80 0.5 0 0 \"c\"\n");
  const auto script = gnuplot_script(plot);
  CHECK_THAT(script, Contains("set title 'it''s' noenhanced"));
  CHECK_THAT(script, Contains("set output '/tmp/p.png'"));
  CHECK_THAT(script, Contains("set output '/tmp/p.svg'"));
  CHECK_THAT(script, Contains("'/tmp/p.dat' index 0 using 1:2 with lines"));
  CHECK_THAT(script, Contains("index 2 using 1:2:3:4 with xyerrorbars") && Contains("title 'w=1 (mean"));
}
