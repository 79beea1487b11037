#include "benchmarks/clickme_alignment.h"

#include <fmt/format.h>

#include "alignment/clickme_source.h"
#include "alignment/model_alignment.h"

namespace ventral::benchmarks {

ClickMeAlignmentBenchmark::ClickMeAlignmentBenchmark(BenchmarkArgs& args)
    : clickme_(args.required("clickme", "clickme:PATH, a ClickMe HDF5 or TFRecord shards")),
      protocol_(args.get("protocol", "release")) {
  alignment::parse_protocol(protocol_);  // an unknown protocol fails before anything runs
}

BenchmarkResult ClickMeAlignmentBenchmark::run(ScoringContext& context) {
  const auto source = alignment::open_clickme(alignment::clickme_path(clickme_));
  const auto s = alignment::score_model(*context.trained, *source,
                                        {context.batch_size, context.threads, "",
                                         alignment::parse_protocol(protocol_)});
  BenchmarkResult r;
  r.raw = s.spearman;
  r.ceiling = s.ceiling;
  r.ceiled["ratio"] = s.score;
  r.extra = {{"dice", s.dice},
             {"iou", s.iou},
             {"n", static_cast<double>(s.n)},
             {"undefined", static_cast<double>(s.undefined)}};
  r.summary = fmt::format(
      "score {:.4f} (mean Spearman {:.4f} / ceiling {:.4f}), Dice {:.4f}, IoU {:.4f}, {} images",
      s.score, s.spearman, s.ceiling, s.dice, s.iou, s.n);
  return r;
}

}  // namespace ventral::benchmarks
