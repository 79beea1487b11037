#include <catch2/catch.hpp>

#include <CLI/CLI.hpp>

#include <map>
#include <set>

#include "apps/commands.h"
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
  std::map<std::string, std::set<std::string>> seen;  // command -> flag names
  for (const auto& def : option_table()) {
    INFO("option " << def.flags);
    CHECK_FALSE(def.help.empty());
    CHECK_FALSE(def.commands.empty());
    for (const auto& command : def.commands) {
      INFO("command " << command);
      CHECK(commands.count(command) == 1);
      for (const auto& name : flag_names(def.flags)) CHECK(seen[command].insert(name).second);
    }
  }
}

TEST_CASE("each command's options parse into Params with the documented defaults", "[cli]") {
  Params params;
  CLI::App app;
  attach_options(app, "features", params);
  app.parse("b.png a.png --out x.h5 --layers c1 -b 3", /*program_name_included=*/false);
  CHECK(params.out == "x.h5");
  CHECK(params.layers == "c1");
  CHECK(params.batch_size == 3);
  CHECK(params.model == "hmax-classic");
  CHECK(params.inputs == std::vector<std::string>{"b.png", "a.png"});
  Params rejected;
  CLI::App strict;
  attach_options(strict, "features", rejected);
  CHECK_THROWS_AS(strict.parse("--batch-size 0", false), CLI::ValidationError);
}
