#include "benchmarks/recognition.h"

#include <fmt/format.h>

#include "training/evaluate.h"

namespace ventral::benchmarks {

RecognitionBenchmark::RecognitionBenchmark(BenchmarkArgs& args)
    : data_(args.required("data", "a dataset spec, e.g. idx:/usr/share/datasets/fashion-mnist")),
      split_(args.get("split", "")),
      class_map_(args.get("class_map", "")) {}

BenchmarkResult RecognitionBenchmark::run(ScoringContext& context) {
  training::SplitEvalOptions options;
  options.split = split_;
  options.class_map = class_map_;
  options.batch_size = context.batch_size;
  options.workers = context.workers;
  const auto [eval, split] = training::evaluate_split(*context.trained, data_, options, context.device);
  BenchmarkResult r;
  r.raw = eval.top1 / 100.0;
  r.ceiling = 1.0;
  r.ceiled["ratio"] = r.raw;
  r.extra = {{"top1", eval.top1 / 100.0},
             {"top5", eval.top5 / 100.0},
             {"loss", eval.loss},
             {"n", static_cast<double>(eval.n)}};
  r.settings["split"] = split;  // the default resolved
  r.summary = fmt::format("top-1 {:.2f}%, top-5 {:.2f}% on {} images of {} ({})", eval.top1, eval.top5,
                          eval.n, data_, split);
  return r;
}

}  // namespace ventral::benchmarks
