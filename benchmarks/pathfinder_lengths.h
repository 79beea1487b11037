// `pathfinder`: accuracy of a trained Pathfinder classifier (same / different snake) on
// held-out images generated at each contour length (the `pathfinder:` dataset's test split,
// whose seed differs from training's), the measure of how far a model integrates a contour
// (Linsley et al. 2018). raw = the mean over lengths; each length's accuracy in `extra`.
#pragma once

#include <vector>

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

class PathfinderBenchmark : public Benchmark {
 public:
  explicit PathfinderBenchmark(BenchmarkArgs& args);
  BenchmarkResult run(ScoringContext& context) override;

 private:
  std::vector<int> lengths_;
  long long size_ = 0, count_ = 0, seed_ = 0;
  std::string preset_;
};

}  // namespace ventral::benchmarks
