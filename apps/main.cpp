// The `ventral` binary: subcommand table, thread setup and error handling. Each
// subcommand lives in apps/cmd_<name>.cpp; every option is defined in apps/options.cpp.
#include <sched.h>

#include <CLI/CLI.hpp>
#include <ATen/Parallel.h>
#include <c10/util/Exception.h>
#include <fmt/core.h>

#include <functional>
#include <map>

#include "apps/commands.h"
#include "apps/options.h"
#include "common/error.h"

namespace {

using ventral::cli::Params;

struct CommandDef {
  std::string path;  ///< "features" or "neural simulate"
  std::string description;
  std::function<int(const Params&)> run;
};

const std::vector<CommandDef>& command_table() {
  using namespace ventral::cli;
  static const std::vector<CommandDef> table = {
      {"models", "list the registered models (--details: layers and parameter counts)", run_models},
      {"features", "extract named layers of a model for images into an HDF5 file", run_features},
      {"imprint", "imprint HMAX S2 prototypes from C1 responses to images", run_imprint},
      {"show", "draw a layer's feature maps as a PNG montage", run_show},
#ifdef VENTRAL_HAS_NEURAL_FIT
      {"fit", "score layers against neural recordings (PLS, ridge, ...), Brain-Score style", run_fit},
      {"neural simulate", "simulate a neural population from known features plus noise",
       run_neural_simulate},
#endif
  };
  return table;
}

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return 1;
}

// LibTorch 1.13 starts with one intra-op thread on small machines.
void configure_threads(int requested) {
  at::set_num_threads(requested > 0 ? requested : available_cores());
}

}  // namespace

int main(int argc, char** argv) {
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
