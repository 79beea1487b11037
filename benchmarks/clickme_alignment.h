// `clickme-alignment`: the ClickMe alignment score of a trained model's saliency (what
// `ventral align --checkpoint` reports; docs/alignment.md): raw = mean Spearman rho over
// the images, ceiling = the human inter-rater constant, ceiled = their ratio.
#pragma once

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

class ClickMeAlignmentBenchmark : public Benchmark {
 public:
  explicit ClickMeAlignmentBenchmark(BenchmarkArgs& args);
  BenchmarkResult run(ScoringContext& context) override;

 private:
  std::string clickme_, protocol_;
};

}  // namespace ventral::benchmarks
