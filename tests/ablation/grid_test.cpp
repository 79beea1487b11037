// ablation/grid: a grid file expanded into runs (variants x axes - exclusions x seeds), and
// every bad grid refused with a line naming what is wrong.
#include <catch2/catch.hpp>

#include <fstream>

#include "ablation/grid.h"
#include "common/error.h"
#include "tests/test_paths.h"

using namespace ventral::ablation;
using Catch::Matchers::Contains;

namespace {

const std::vector<std::string> kTrainKeys = {"model",  "model-opt", "data",
                                             "epochs", "lr",        "harmonize-weight",
                                             "seed",   "output",    "threads"};

std::string write_grid(const std::string& name, const std::string& text) {
  const auto path = ventral::testing::temp_path(name + ".toml");
  std::ofstream(path) << text;
  return path;
}

const char* kBenchmarks = R"(
[[benchmark]]
name = "recognition"
label = "top1"
data = "idx:/somewhere"
split = "test"
)";

}  // namespace

TEST_CASE("variants x axes x seeds, minus exclusions, in file order", "[ablation]") {
  const auto path = write_grid("grid_expand", std::string(R"(
[grid]
name = "g"
seeds = [3, 4]
[train]
data = "idx:/data"
epochs = 2
lr = 0.1
[[variant]]
name = "a"
model = "hmax-wide"
model-opt = ["width=8", "batchnorm=false"]
[[variant]]
name = "b"
model = "hmax-bp"
lr = 0.05
[axes]
harmonize-weight = [0, 1]
[[exclude]]
variant = "b"
harmonize-weight = 1
)") + kBenchmarks);
  const Grid grid = read_grid(path, kTrainKeys);
  CHECK(grid.name == "g");
  REQUIRE(grid.runs.size() == 6);  // (a x 2 + b x 1) x 2 seeds
  CHECK(grid.runs[0].id == "a_harmonize-weight=0_s3");
  CHECK(grid.runs[1].id == "a_harmonize-weight=0_s4");
  CHECK(grid.runs[2].label == "a harmonize-weight=1");
  CHECK(grid.runs[4].label == "b harmonize-weight=0");
  for (std::size_t k = 0; k < grid.runs.size(); ++k) CHECK(grid.runs[k].index == static_cast<int>(k));
  CHECK(grid.option_columns == std::vector<std::string>{"model", "model-opt", "lr", "harmonize-weight"});
  CHECK(grid.axis_keys == std::vector<std::string>{"harmonize-weight"});
  // The variant's value replaces [train]'s; an option a variant leaves alone shows [train]'s.
  const auto& b = grid.runs[4];
  CHECK(b.options == std::vector<std::pair<std::string, std::string>>{{"model", "hmax-bp"},
                                                                      {"model-opt", ""},
                                                                      {"lr", "0.05"},
                                                                      {"harmonize-weight", "0"}});
  CHECK(grid.runs[0].options[1].second == "width=8,batchnorm=false");
  CHECK(grid.runs[0].options[2].second == "0.1");
  CHECK_THAT(b.train_toml, Contains("lr = 0.05"));
  CHECK_THAT(b.train_toml, Contains("seed = 3"));
  CHECK_THAT(b.train_toml, Contains("epochs = 2"));
  CHECK_THAT(grid.runs[0].train_toml, Contains("width=8") && Contains("batchnorm=false"));
  CHECK(grid.benchmarks.size() == 1);
  CHECK(grid.benchmarks[0].label == "top1");
  CHECK(grid.benchmarks[0].spec == "recognition:data=idx:/somewhere,split=test");
  CHECK_THAT(grid.benchmarks_toml, Contains("[[benchmark]]"));
  CHECK_THAT(grid.benchmarks_toml, !Contains("label"));  // the label is ablate's, not score's

  CHECK(find_run(grid, "2").id == grid.runs[2].id);
  CHECK(find_run(grid, "b_harmonize-weight=0_s4").index == 5);
  CHECK_THROWS_WITH(find_run(grid, "6"), Contains("0..5"));
  CHECK_THROWS_WITH(find_run(grid, "nope"), Contains("--only nope"));
}

TEST_CASE("axes alone: the base configuration with each value", "[ablation]") {
  const auto grid = read_grid(
      write_grid("grid_axes",
                 std::string(
                     "[train]\nmodel = \"hmax-wide\"\n[axes]\nlr = [0.1, 0.2]\nepochs = [1, 2]\n") +
                     kBenchmarks),
      kTrainKeys);
  REQUIRE(grid.runs.size() == 4);
  CHECK(grid.seeds == std::vector<int64_t>{1});
  CHECK(grid.name == "ventral_test_grid_axes");
  CHECK(grid.runs[0].variant == "base");
  // axes in key order; the last varies fastest
  CHECK(grid.runs[0].label == "base epochs=1 lr=0.1");
  CHECK(grid.runs[1].label == "base epochs=1 lr=0.2");
  CHECK(grid.runs[3].label == "base epochs=2 lr=0.2");
}

TEST_CASE("bad grids are refused with one line naming the problem", "[ablation]") {
  auto refused = [](const std::string& name, const std::string& text, const std::string& expected) {
    INFO(name);
    CHECK_THROWS_WITH(read_grid(write_grid(name, text), kTrainKeys), Contains(expected));
  };
  const std::string variants =
      "[[variant]]\nname = \"a\"\nlr = 0.1\n[[variant]]\nname = \"b\"\nlr = 0.2\n";
  refused(
      "bad_key", variants + "[[variant]]\nname = \"c\"\nlearning-rate = 1\n" + kBenchmarks,
      "unknown option 'learning-rate'; the options of `ventral train` are: data, epochs, harmonize-weight, lr, "
      "model, model-opt");
  refused("bad_reserved", variants + "[train]\noutput = \"x\"\n" + kBenchmarks, "may not set");
  refused("bad_seed", "[train]\nseed = 3\n" + variants + kBenchmarks, "[grid] seeds");
  refused("bad_identical",
          "[train]\nlr = 0.1\n[[variant]]\nname = \"a\"\n[[variant]]\nname = \"b\"\nlr = 0.1\n" +
              std::string(kBenchmarks),
          "variants 'a' and 'b' would train identically");
  refused("bad_empty", std::string("[train]\nlr = 0.1\n") + kBenchmarks, "nothing to compare");
  refused("bad_no_benchmark", variants, "no [[benchmark]] tables");
  refused("bad_label", variants + kBenchmarks + kBenchmarks, "two benchmarks are labelled 'top1'");
  refused("bad_section", variants + "[sweep]\nx = 1\n" + kBenchmarks, "unknown section 'sweep'");
  refused("bad_exclude", variants + "[[exclude]]\nvariant = \"zzz\"\n" + kBenchmarks,
          "matches no combination");
  refused("bad_exclude_key", variants + "[[exclude]]\nepochs = 3\n" + kBenchmarks,
          "neither 'variant' nor");
  refused("bad_all_excluded",
          variants + "[[exclude]]\nvariant = \"a\"\n[[exclude]]\nvariant = \"b\"\n" + kBenchmarks,
          "every combination is excluded");
  refused("bad_axis", "[axes]\nlr = []\n" + std::string(kBenchmarks), "non-empty list");
  refused("bad_seeds", "[grid]\nseeds = [1, 1]\n" + variants + kBenchmarks, "a seed twice");
  refused("bad_name", "[[variant]]\nname = \"a b\"\nlr = 1\n" + std::string(kBenchmarks),
          "without spaces");
  refused("bad_checkpoint", "[grid]\ncheckpoint = \"first\"\n" + variants + kBenchmarks,
          "\"last\" or \"best\"");
  refused("bad_toml", "[grid\n", "line 1");
}
