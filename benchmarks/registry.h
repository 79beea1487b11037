// The registered benchmarks (name, version, citation, what it measures, its arguments) and
// `NAME:key=value,...` specs turned into ready benchmarks, every argument checked before any
// benchmark runs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

struct BenchmarkEntry {
  std::string name, version, citation, description, arguments;
  std::function<std::unique_ptr<Benchmark>(BenchmarkArgs&)> create;
};

const std::vector<BenchmarkEntry>& benchmark_registry();

/// A benchmark spec split into its name and arguments: "NAME" or "NAME:k=v,k=v". Error for
/// an argument without '=' or given twice.
struct BenchmarkSpec {
  std::string name;
  std::map<std::string, std::string> args;
};
BenchmarkSpec parse_benchmark_spec(const std::string& text);

/// A benchmark with its entry, its arguments read and checked.
struct ConfiguredBenchmark {
  const BenchmarkEntry* entry = nullptr;
  std::map<std::string, std::string> settings;
  std::unique_ptr<Benchmark> benchmark;
};

/// Error naming an unknown benchmark (listing the registered ones) or argument.
ConfiguredBenchmark configure_benchmark(const std::string& spec);

}  // namespace ventral::benchmarks
