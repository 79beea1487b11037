// `recognition`: top-1 (raw) and top-5 accuracy of a trained classifier on a labelled split of
// any dataset spec, ImageNet-style (what `ventral eval` reports). Ceiling 1.
#pragma once

#include "benchmarks/benchmark.h"

namespace ventral::benchmarks {

class RecognitionBenchmark : public Benchmark {
 public:
  explicit RecognitionBenchmark(BenchmarkArgs& args);
  BenchmarkResult run(ScoringContext& context) override;

 private:
  std::string data_, split_, class_map_;
};

}  // namespace ventral::benchmarks
