// `neural-pls`: neural predictivity of a layer (Brain-Score's standard protocol,
// neural_fit/fit_standard.h: PLS regression cross-validated over shuffle splits, Pearson per
// neuroid, median, mean over splits; the split-half ceiling and every ceiled convention), with
// the layer's features extracted in memory from the stimuli's dataset (ids "<split>-<index>",
// as `ventral features --data` names them and `ventral neural simulate` keeps). The layer is
// fixed (layer=) or chosen among several by nested cross-validation (layers=A|B|C,
// neural_fit/layer_selection.h), so the choice never sees the test stimuli.
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
  std::string neural_, data_, split_, region_, time_bin_;
  std::vector<std::string> layers_;
  std::size_t count_ = 0;
  int inner_splits_ = 5;
  neural_fit::FitOptions options_;
};

}  // namespace ventral::benchmarks
