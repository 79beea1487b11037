// The `ventral` binary: subcommand table, thread setup and error handling. Each
// subcommand lives in apps/cmd_<name>.cpp; every option is defined in apps/options.cpp.
#include <sched.h>
#include <unistd.h>

#include <ATen/Parallel.h>
#include <CLI/CLI.hpp>
#include <c10/util/Exception.h>
#include <fmt/core.h>
#include <fmt/ranges.h>

#include <cstdlib>
#include <map>

#include "apps/commands.h"
#include "apps/config_file.h"
#include "apps/input_guard.h"
#include "apps/options.h"
#include "common/allocator.h"
#include "common/error.h"
#include "common/text_list.h"

namespace {

using ventral::cli::command_table;
using ventral::cli::CommandDef;
using ventral::cli::Params;

int available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof(set), &set) == 0) return std::max(1, CPU_COUNT(&set));
  return 1;
}

// LibTorch 1.13 starts with one intra-op thread on small machines. More than a few threads
// per core only slows work down, and a huge count hangs creating them.
void configure_threads(int requested) {
  const int cores = available_cores();
  const int limit = std::max(64, 4 * cores);
  if (requested > limit)
    ventral::fail("--threads {}: expected at most {} (4 x the {} available cores, at least 64)",
                  requested, limit, cores);
  at::set_num_threads(requested > 0 ? requested : cores);
}

// What the run used, for run folders and checkpoints: every option with its value
// (given, from --config, or the default), as key -> text and as a TOML file that
// `--config` reads back.
void record_resolved_options(const CLI::App& sub, Params& params) {
  std::vector<ventral::cli::ResolvedOption> options;
  for (const CLI::Option* option : sub.get_options()) {
    const std::string name = option->get_single_name();
    if (name.empty() || name == "help" || name == "config" || option->get_positional()) continue;
    ventral::cli::ResolvedOption resolved{name,
                                          {},
                                          option->get_items_expected_max() > 1 ||
                                              option->get_multi_option_policy() ==
                                                  CLI::MultiOptionPolicy::TakeAll};
    if (option->count() > 0) {
      resolved.values = option->results();
    } else if (option->get_expected_min() == 0) {  // a flag
      resolved.values = {option->get_default_str().empty() ? "false" : option->get_default_str()};
    } else {
      const std::string text = option->get_default_str();
      if (resolved.list) {
        resolved.values = ventral::split_list(text);
      } else {
        resolved.values = {text};
      }
    }
    params.resolved_args[name] = fmt::format("{}", fmt::join(resolved.values, ","));
    options.push_back(std::move(resolved));
  }
  params.resolved_config = ventral::cli::resolved_config_toml(options);
}

}  // namespace

// Settings that libraries read from the environment when they are loaded, before main,
// so applying them takes one re-exec (only for variables the user has not set):
// - OMP_WAIT_POLICY=passive: GNU OpenMP threads otherwise spin while waiting for work,
//   and when anything else wants the cores (the loader's worker threads, another process
//   on a 2-core machine) spinning threads starve it: training ran 3x slower next to one
//   busy process.
// - OPENBLAS_CORETYPE: Debian's OpenBLAS 0.3.21 does not recognise recent x86 CPUs and
//   falls back to its SSE3 (Prescott) kernels, 2-3x slower on the float64 products of
//   `ventral fit`; name the best kernel set the CPU supports instead.
void apply_library_environment(char** argv) {
  bool changed = false;
  if (std::getenv("OMP_WAIT_POLICY") == nullptr) {
    setenv("OMP_WAIT_POLICY", "passive", 1);
    changed = true;
  }
#if defined(__x86_64__)
  if (std::getenv("OPENBLAS_CORETYPE") == nullptr) {
    const char* core = __builtin_cpu_supports("avx512f") ? "SkylakeX"
                       : __builtin_cpu_supports("avx2")  ? "Haswell"
                                                         : nullptr;
    if (core != nullptr) {
      setenv("OPENBLAS_CORETYPE", core, 1);
      changed = true;
    }
  }
#endif
  if (changed) execv("/proc/self/exe", argv);
  // exec failed (no /proc): carry on with the libraries' defaults.
}

int main(int argc, char** argv) {
  apply_library_environment(argv);
  ventral::tune_allocator();
  CLI::App app{
      "ventral: biologically inspired vision models (HMAX, hGRU/fGRU), trained and "
      "scored on recognition, human alignment and IT predictivity",
      "ventral"};
  app.set_version_flag("--version", std::string("ventral ") + VENTRAL_VERSION);
  app.require_subcommand(1);
  // Each command parses into its own Params, holding that command's defaults.
  std::map<std::string, Params> params_of;
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
    auto& params = params_of.emplace(command.path, ventral::cli::params_for(command.path)).first->second;
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
    auto& params = params_of.at(command->path);
    try {
      if (!params.config.empty()) ventral::cli::apply_config_file(*sub, params.config);
      record_resolved_options(*sub, params);
      configure_threads(params.threads);
      ventral::cli::refuse_output_over_inputs(params);
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
