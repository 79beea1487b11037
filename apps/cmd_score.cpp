// `ventral score`: one trained model on several benchmarks (benchmarks/registry.h) in one
// process: features extracted once in memory, one summary line per benchmark, one JSON.
#include <ATen/Parallel.h>
#include <fmt/core.h>
// header-only, as apps/config_file.cpp compiles it
#define TOML_HEADER_ONLY 1
#define TOML_FLOAT_CHARCONV 1
#include <toml++/toml.h>

#include <chrono>
#include <filesystem>
#include <map>

#include "apps/commands.h"
#include "benchmarks/registry.h"
#include "benchmarks/score_report.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "training/trained_model.h"

namespace ventral::cli {

namespace {

// The value of a TOML entry as the text a --benchmark argument would carry.
std::string toml_text(const toml::node& node, const std::string& where) {
  if (auto s = node.value<std::string>()) return *s;
  if (auto i = node.value<int64_t>()) return std::to_string(*i);
  if (auto b = node.value<bool>()) return *b ? "true" : "false";
  if (auto d = node.value<double>()) return fmt::format("{}", *d);
  fail("{}: expected a string, integer, float or boolean", where);
}

// `[[benchmark]]` tables of a benchmarks file as NAME:key=value,... specs.
std::vector<std::string> benchmark_specs_from_file(const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    fail("{}: {} (line {})", path, e.description(), e.source().begin.line);
  }
  const auto* list = table["benchmark"].as_array();
  if (!list || list->empty())
    fail("{}: no [[benchmark]] tables (each with name = \"...\" and its arguments)", path);
  for (const auto& [key, value] : table) {
    if (key.str() != "benchmark")
      fail("{}: unknown key '{}'; the file holds [[benchmark]] tables", path, key.str());
  }
  std::vector<std::string> specs;
  for (std::size_t k = 0; k < list->size(); ++k) {
    const auto* entry = list->get(k)->as_table();
    const std::string where = fmt::format("{} benchmark {}", path, k + 1);
    if (!entry || !entry->contains("name")) fail("{}: no name = \"...\"", where);
    std::string spec = toml_text(*entry->get("name"), where + " name"), args;
    for (const auto& [key, value] : *entry) {
      if (key.str() == "name") continue;
      const auto text = toml_text(value, fmt::format("{} {}", where, key.str()));
      if (text.find(',') != std::string::npos) fail("{} {}: a value may not hold ','", where, key.str());
      args += fmt::format("{}{}={}", args.empty() ? "" : ",", key.str(), text);
    }
    specs.push_back(args.empty() ? spec : spec + ":" + args);
  }
  return specs;
}

// The files a benchmark reads: every setting naming an existing file, with or without a
// dataset kind ("clickme:gt/test.h5"), and the files of a folder it names (a folder of splits
// or shards), so that --out can be refused when it would replace one.
std::vector<std::string> benchmark_inputs(const std::map<std::string, std::string>& settings) {
  namespace fs = std::filesystem;
  std::vector<std::string> inputs;
  for (const auto& [key, value] : settings) {
    std::vector<std::string> candidates = {value};
    if (const auto colon = value.find(':'); colon != std::string::npos)
      candidates.push_back(value.substr(colon + 1));
    for (const auto& candidate : candidates) {
      std::error_code ec;
      if (candidate.empty()) continue;
      if (fs::is_regular_file(candidate, ec)) inputs.push_back(candidate);
      if (fs::is_directory(candidate, ec)) {
        for (const auto& entry : fs::directory_iterator(candidate, ec)) {
          if (entry.is_regular_file(ec)) inputs.push_back(entry.path().string());
        }
      }
    }
  }
  return inputs;
}

}  // namespace

int run_score(const Params& p) {
  if (p.checkpoint.empty()) fail("--checkpoint: required, e.g. --checkpoint RUN/best.pt");
  if (p.out.empty()) fail("--out: required, expected the output .json path");
  std::vector<std::string> specs = p.benchmark;
  if (!p.benchmarks_file.empty()) {
    for (auto& spec : benchmark_specs_from_file(p.benchmarks_file)) specs.push_back(std::move(spec));
  }
  if (specs.empty()) {
    std::string names;
    for (const auto& e : benchmarks::benchmark_registry()) names += (names.empty() ? "" : ", ") + e.name;
    fail("--benchmark NAME[:ARGS] or --benchmarks FILE.toml: required; registered: {}", names);
  }
  // Every benchmark and argument is checked before the model loads or anything runs.
  std::vector<benchmarks::ConfiguredBenchmark> configured;
  for (const auto& spec : specs) configured.push_back(benchmarks::configure_benchmark(spec));
  std::vector<std::string> inputs = {p.checkpoint, p.benchmarks_file};
  for (const auto& c : configured) {
    for (auto& input : benchmark_inputs(c.settings)) inputs.push_back(std::move(input));
  }
  refuse_input_as_output(p.out, inputs);
  AtomicOutput check(p.out);

  const auto trained = training::load_trained_model(p.checkpoint, training::parse_device(p.device));
  benchmarks::ScoringContext context;
  context.trained = &trained;
  context.device = training::parse_device(p.device);
  context.batch_size = p.batch_size;
  context.workers = p.workers;
  context.threads = at::get_num_threads();
  for (const auto& c : configured) c.benchmark->check(context);
  // A benchmark that fails (its data missing, ...) is recorded with its error and the others
  // still run; the exit code is then 1.
  std::vector<benchmarks::BenchmarkResult> results;
  int failed = 0;
  for (auto& c : configured) {
    const auto start = std::chrono::steady_clock::now();
    benchmarks::BenchmarkResult result;
    try {
      result = c.benchmark->run(context);
    } catch (const Error& e) {
      result.error = e.what();
      ++failed;
    }
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.name = c.entry->name;
    result.version = c.entry->version;
    result.citation = c.entry->citation;
    for (const auto& [key, value] : c.settings)
      result.settings.emplace(key, value);  // resolved ones kept
    if (result.error.empty()) {
      fmt::print("{} (v{}): {} [{:.1f} s]\n", result.name, result.version, result.summary,
                 result.seconds);
    } else {
      fmt::print(stderr, "{} (v{}) failed: {}\n", result.name, result.version, result.error);
    }
    results.push_back(std::move(result));
  }
  const auto cost = benchmarks::model_cost(trained);
  write_text_file(p.out, benchmarks::score_json(p.checkpoint, trained.checkpoint.arch, cost, results));
  fmt::print("wrote {}{}\n", p.out,
             failed ? fmt::format(" ({} of {} benchmarks failed)", failed, results.size()) : "");
  return failed ? 1 : 0;
}

}  // namespace ventral::cli
