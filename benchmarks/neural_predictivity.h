// `neural-pls`: neural predictivity of one layer (Brain-Score's standard protocol,
// neural_fit/fit_standard.h: PLS regression cross-validated over shuffle splits, Pearson per
// neuroid, median, mean over splits; the split-half ceiling and every ceiled convention), with
// the layer's features extracted in memory from the stimuli's dataset (ids "<split>-<index>",
// as `ventral features --data` names them and `ventral neural simulate` keeps).
#pragma once

#include "benchmarks/benchmark.h"
#include "neural_fit/fit_standard.h"

namespace ventral::benchmarks {

class NeuralPlsBenchmark : public Benchmark {
 public:
  explicit NeuralPlsBenchmark(BenchmarkArgs& args);
  void check(const ScoringContext& context) const override;
  BenchmarkResult run(ScoringContext& context) override;

 private:
  std::string neural_, data_, split_, layer_, region_, time_bin_;
  std::size_t count_ = 0;
  neural_fit::FitOptions options_;
};

}  // namespace ventral::benchmarks
