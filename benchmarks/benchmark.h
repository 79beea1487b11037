// Benchmarks in the Brain-Score sense: data + metric + ceiling, under a versioned name with a
// citation, registered in code (registry.h) and run on one trained model by `ventral score`.
// A benchmark reads its settings from `NAME:key=value,...` arguments, runs on the model in a
// ScoringContext (which keeps features extracted once for every benchmark of a run) and
// returns raw, ceiling and the ceiled values under their convention names.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "training/feature_extraction.h"
#include "training/trained_model.h"

namespace ventral::benchmarks {

/// The `key=value` arguments of one benchmark. Every key read is recorded with its value
/// (defaults included) as the benchmark's settings; keys never read are an error.
class BenchmarkArgs {
 public:
  BenchmarkArgs(std::string benchmark, std::map<std::string, std::string> given);
  std::string get(const std::string& key, const std::string& fallback);
  /// Error naming the benchmark and the key when it was not given.
  std::string required(const std::string& key, const std::string& meaning);
  long long get_int(const std::string& key, long long fallback, long long minimum);
  /// Error naming the first key given but never read, with the valid ones.
  void reject_unknown() const;
  const std::map<std::string, std::string>& settings() const { return settings_; }

 private:
  std::string benchmark_;
  std::map<std::string, std::string> given_, settings_;
};

struct BenchmarkResult {
  std::string name, version, citation;
  std::map<std::string, std::string> settings;
  double raw = 0;
  double ceiling = 0;
  /// Ceiled values by convention ("ratio" = raw / ceiling; neural: also "ev2019", "ev2026").
  std::map<std::string, double> ceiled;
  /// Secondary numbers (top5, n, dice, ...).
  std::map<std::string, double> extra;
  double seconds = 0;
  std::string summary;  ///< one line for stdout
  std::string error;    ///< set when the benchmark failed (its data missing, ...); nothing else is
};

/// The model being scored and what its benchmarks share.
struct ScoringContext {
  const training::TrainedModel* trained = nullptr;
  torch::Device device = torch::kCPU;
  int batch_size = 16;
  int workers = 2;
  int threads = 1;
  /// Features by (data spec, split, count): extracted once for all the layers asked for.
  std::map<std::string, training::FeatureSet> features;
};

class Benchmark {
 public:
  virtual ~Benchmark() = default;
  /// Checks against the loaded model (layer names, ...) before any benchmark runs.
  virtual void check(const ScoringContext& /*context*/) const {}
  virtual BenchmarkResult run(ScoringContext& context) = 0;
};

}  // namespace ventral::benchmarks
