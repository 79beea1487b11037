#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <sstream>

#include "apps/commands.h"
#include "apps/config_file.h"
#include "apps/options.h"

using namespace ventral::cli;

namespace {

std::vector<std::string> flag_names(const std::string& flags) {
  std::vector<std::string> names;
  std::string current;
  for (char c : flags + ",") {
    if (c == ',') {
      names.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  return names;
}

}  // namespace

TEST_CASE("every option is documented, attached to a real command and defined once", "[cli]") {
  std::set<std::string> commands;
  for (const auto& command : command_table()) commands.insert(command.path);
  std::map<std::string, std::string> defined_by;  // flag name -> the definition holding it
  for (const auto& def : option_table()) {
    INFO("option " << def.flags);
    CHECK_FALSE(def.help.empty());
    CHECK_FALSE(def.commands.empty());
    for (const auto& command : def.commands) {
      INFO("command " << command);
      CHECK(commands.count(command) == 1);
    }
    for (const auto& [command, value] : def.command_defaults) {
      INFO("per-command default for " << command);
      CHECK(std::find(def.commands.begin(), def.commands.end(), command) != def.commands.end());
    }
    // Across all commands: one definition per flag (positionals too), so a concept has one field.
    for (const auto& name : flag_names(def.flags)) {
      INFO("flag " << name);
      CHECK(defined_by.emplace(name, def.flags).second);
    }
  }
}

TEST_CASE("each command's options parse into Params with the documented defaults", "[cli]") {
  Params params = params_for("features");
  CLI::App app;
  attach_options(app, "features", params);
  app.parse("b.png a.png --out x.h5 --layers c1 -b 3 --model-opt s2_sigma=2",
            /*program_name_included=*/false);
  CHECK(params.out == "x.h5");
  CHECK(params.layers == "c1");
  CHECK(params.batch_size == 3);
  CHECK(params.model == "hmax-classic");
  CHECK(params.model_opts == std::vector<std::string>{"s2_sigma=2"});
  CHECK(params.inputs == std::vector<std::string>{"b.png", "a.png"});
  Params rejected = params_for("features");
  CLI::App strict;
  attach_options(strict, "features", rejected);
  CHECK_THROWS_AS(strict.parse("--batch-size 0", false), CLI::ValidationError);
}

TEST_CASE("one option, per-command defaults: --seed, --model, --batch-size, --size, --split", "[cli]") {
  CHECK(params_for("train").seed == 42);
  CHECK(params_for("imprint").seed == 0);
  CHECK(params_for("train").model == "hmax-wide");
  CHECK(params_for("features").model == "hmax-classic");
  CHECK(params_for("features").batch_size == 8);
  CHECK(params_for("train").batch_size == 128);
  CHECK(params_for("eval").batch_size == 128);
  CHECK(params_for("data pathfinder").size == 64);
  CHECK(params_for("features").size == 0);
  CHECK(params_for("data pack").split == "train");
  CHECK(params_for("eval").split.empty());
  // --help shows each command's own default.
  Params train = params_for("train");
  CLI::App app;
  attach_options(app, "train", train);
  CHECK(app.get_option("--seed")->get_default_str() == "42");
  CHECK(app.get_option("--model")->get_default_str() == "hmax-wide");
}

TEST_CASE("choice lists come from the registries", "[cli]") {
  Params params = params_for("train");
  CLI::App app;
  attach_options(app, "train", params);
  CHECK_THROWS_AS(app.parse("--opt lamb", false), CLI::ValidationError);
  const auto& help = app.get_option("--data")->get_description();
  CHECK_THAT(help,
             Catch::Contains("pathfinder:") && Catch::Contains("idx:DIR") && Catch::Contains("h5:"));
  CHECK_THAT(app.get_option("--model")->get_description(), Catch::Contains("pathfinder-cnn"));
}

TEST_CASE("resolved options are written as TOML that reads back the same values", "[cli]") {
  const std::vector<ResolvedOption> options = {
      {"lr", {"0.1"}, false},         {"epochs", {"4"}, false},
      {"nesterov", {"true"}, false},  {"model", {"hmax-wide"}, false},
      {"mean", {"0.286"}, true},      {"ratio", {"0.75", "1.3333333333333333"}, true},
      {"timesteps", {""}, false},     {"model-opt", {"width=24"}, true},
      {"decay-milestones", {}, true}, {"warmup-lr", {"1e-05"}, false},
  };
  const auto text = resolved_config_toml(options);
  CHECK_THAT(text, Catch::Contains("lr = 0.1\n"));
  CHECK_THAT(text, Catch::Contains("epochs = 4\n"));
  CHECK_THAT(text, Catch::Contains("nesterov = true\n"));
  CHECK_THAT(text, Catch::Contains("model = \"hmax-wide\"\n"));
  CHECK_THAT(text, Catch::Contains("mean = [ 0.286 ]\n"));
  CHECK_THAT(text, Catch::Contains("ratio = [ 0.75, 1.3333333333333333 ]\n"));
  CHECK_THAT(text, Catch::Contains("timesteps = \"\"\n"));
  CHECK_THAT(text, Catch::Contains("model-opt = [ \"width=24\" ]\n"));
  CHECK_THAT(text, Catch::Contains("decay-milestones = []\n"));
  CHECK_THAT(text, Catch::Contains("warmup-lr = 1e-05\n"));
  // CLI11's reader (what --config uses) gets the same texts back.
  std::istringstream in(text);
  std::map<std::string, std::vector<std::string>> read;
  for (const auto& item : CLI::ConfigTOML().from_config(in)) read[item.name] = item.inputs;
  CHECK(read["lr"] == std::vector<std::string>{"0.1"});
  CHECK(read["model"] == std::vector<std::string>{"hmax-wide"});
  CHECK(read["ratio"] == std::vector<std::string>{"0.75", "1.3333333333333333"});
  CHECK(read["model-opt"] == std::vector<std::string>{"width=24"});
}
