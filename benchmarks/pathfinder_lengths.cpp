#include "benchmarks/pathfinder_lengths.h"

#include <fmt/format.h>

#include <cstdlib>

#include "common/error.h"
#include "training/evaluate.h"

namespace ventral::benchmarks {

PathfinderBenchmark::PathfinderBenchmark(BenchmarkArgs& args) {
  const std::string lengths = args.get("lengths", "6|9|14");
  for (std::size_t begin = 0;;) {
    const auto bar = lengths.find('|', begin);
    const std::string text = lengths.substr(begin,
                                            bar == std::string::npos ? std::string::npos : bar - begin);
    char* end = nullptr;
    const long value = std::strtol(text.c_str(), &end, 10);
    if (text.empty() || *end != '\0' || value < 1)
      fail("benchmark pathfinder: lengths={}: '{}' is not a positive contour length", lengths, text);
    lengths_.push_back(static_cast<int>(value));
    if (bar == std::string::npos) break;
    begin = bar + 1;
  }
  size_ = args.get_int("size", 0, 0);
  count_ = args.get_int("count", 1000, 1);
  seed_ = args.get_int("seed", 0, 0);
  preset_ = args.get("preset", "");
}

BenchmarkResult PathfinderBenchmark::run(ScoringContext& context) {
  const auto& trained = *context.trained;
  // the images at the model's own input size unless size= says otherwise
  const long long size = size_ > 0 ? size_ : trained.eval_transform.img_size;
  if (size <= 0) fail("benchmark pathfinder: the checkpoint has no input size; give size=PX");
  BenchmarkResult r;
  r.ceiling = 1.0;
  double sum = 0;
  std::string per_length;
  for (int length : lengths_) {
    const std::string spec = fmt::format("pathfinder:?length={}&size={}&count={}&seed={}{}", length,
                                         size, count_, seed_,
                                         preset_.empty() ? "" : "&preset=" + preset_);
    training::SplitEvalOptions options;
    options.split = "test";
    options.batch_size = context.batch_size;
    options.workers = context.workers;
    const auto [eval, split] = training::evaluate_split(trained, spec, options, context.device);
    r.extra[fmt::format("length/{}", length)] = eval.top1 / 100.0;
    sum += eval.top1 / 100.0;
    per_length += fmt::format("{}{}: {:.1f}%", per_length.empty() ? "" : ", ", length, eval.top1);
  }
  r.raw = sum / static_cast<double>(lengths_.size());
  r.ceiled["ratio"] = r.raw;
  r.extra["n"] = static_cast<double>(count_ * static_cast<long long>(lengths_.size()));
  r.settings["size"] = std::to_string(size);
  r.summary = fmt::format(
      "mean accuracy {:.2f}% over contour lengths ({}), {} held-out images each at {} px", 100 * r.raw,
      per_length, count_, size);
  return r;
}

}  // namespace ventral::benchmarks
