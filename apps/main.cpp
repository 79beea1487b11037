// The `ventral` binary: subcommand table, thread setup and error handling. Each
// subcommand lives in apps/cmd_<name>.cpp; every option is defined in apps/options.cpp.
#include <sched.h>

#include <CLI/CLI.hpp>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <map>

#include "apps/commands.h"
#include "apps/config_file.h"
#include "apps/options.h"
#include "common/allocator.h"
#include "common/error.h"

namespace {

using ventral::cli::command_table;
using ventral::cli::CommandDef;
using ventral::cli::Params;

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return 1;
}

// LibTorch 1.13 starts with one intra-op thread on small machines.
void configure_threads(int requested) {
  at::set_num_threads(requested > 0 ? requested : available_cores());
}

// What the run used, for run folders and checkpoints: every option with its value
// (given, from --config, or the default).
void record_resolved_options(const CLI::App& sub, Params& params) {
  params.resolved_config = sub.config_to_str(/*default_also=*/true, /*write_description=*/false);
  for (const CLI::Option* option : sub.get_options()) {
    const std::string name = option->get_single_name();
    if (name.empty() || name == "help" || name == "config") continue;
    params.resolved_args[name] =
        option->count() > 0 ? fmt::format("{}", fmt::join(option->results(), ",")) : option->get_default_str();
  }
}

}  // namespace

int main(int argc, char** argv) {
  ventral::tune_allocator();
  CLI::App app{"ventral: biologically inspired vision models (HMAX, hGRU/fGRU), trained and "
               "scored on recognition, human alignment and IT predictivity",
               "ventral"};
  app.set_version_flag("--version", std::string("ventral ") + VENTRAL_VERSION);
  app.require_subcommand(1);
  Params params;
  std::map<CLI::App*, const CommandDef*> dispatch;
  std::map<std::string, CLI::App*> groups;
  for (const auto& command : command_table()) {
    CLI::App* parent = &app;
    std::string name = command.path;
    if (auto space = command.path.find(' '); space != std::string::npos) {
      std::string group = command.path.substr(0, space);
      name = command.path.substr(space + 1);
      if (!groups.count(group)) {
        groups[group] = app.add_subcommand(group, group + " subcommands");
        groups[group]->require_subcommand(1);
      }
      parent = groups[group];
    }
    CLI::App* sub = parent->add_subcommand(name, command.description);
    ventral::cli::attach_options(*sub, command.path, params);
    dispatch[sub] = &command;
  }
  if (argc > 1 && argv[1][0] != '-') {
    std::string first = argv[1];
    std::vector<std::string> known;
    for (const auto& command : command_table()) {
      std::string top = command.path.substr(0, command.path.find(' '));
      if (std::find(known.begin(), known.end(), top) == known.end()) known.push_back(top);
    }
    if (std::find(known.begin(), known.end(), first) == known.end()) {
      fmt::print(stderr, "ventral: unknown command '{}'; known: {}\n", first, fmt::join(known, ", "));
      return 2;
    }
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    fmt::print(stderr, "ventral: {}\n", e.what());
    return 2;
  }
  for (const auto& [sub, command] : dispatch) {
    if (!sub->parsed()) continue;
    try {
      if (!params.config.empty()) ventral::cli::apply_config_file(*sub, params.config);
      record_resolved_options(*sub, params);
      configure_threads(params.threads);
      return command->run(params);
    } catch (const ventral::Error& e) {
      fmt::print(stderr, "ventral {}: {}\n", command->path, e.what());
      return 2;
    } catch (const c10::Error& e) {
      fmt::print(stderr, "ventral {}: {}\n", command->path, e.what_without_backtrace());
      return 1;
    } catch (const std::exception& e) {
      fmt::print(stderr, "ventral {}: {}\n", command->path, e.what());
      return 1;
    }
  }
  return 2;
}
