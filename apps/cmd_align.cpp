// `ventral align`: the ClickMe alignment score of saliency maps against the human maps
// (alignment/ does the work), printed and written as JSON + CSV.
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include "alignment/alignment_score.h"
#include "alignment/clickme_source.h"
#include "alignment/model_alignment.h"
#include "alignment/report.h"
#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "training/trained_model.h"

namespace ventral::cli {

int run_align_ceiling(const Params& p);  // cmd_align_ceiling.cpp

int run_align(const Params& p) {
  if (!p.human_ceiling.empty()) return run_align_ceiling(p);
  if (p.maps.empty() == p.checkpoint.empty())
    fail("--maps or --checkpoint: give exactly one (saliency maps to score, or a model to make them)");
  if (p.clickme.empty())
    fail("--clickme: required, expected clickme:PATH (ventral's ClickMe HDF5, or TFRecord shards)");
  if (p.out.empty()) fail("--out: required, expected the output .json path");
  if (!p.save_maps.empty() && p.checkpoint.empty()) fail("--save-maps: only with --checkpoint");
  const std::string clickme_path = alignment::clickme_path(p.clickme);
  const std::string input = p.maps.empty() ? p.checkpoint : p.maps;
  auto inputs = alignment::clickme_files(clickme_path);
  inputs.push_back(input);
  for (const auto& output : {p.out, csv_path_for(p.out), p.save_maps}) {
    if (!output.empty()) refuse_input_as_output(output, inputs);
  }
  // Every output is checked before any work; none appears unless all were written.
  AtomicOutput check_json(p.out), check_csv(csv_path_for(p.out));
  const auto source = alignment::open_clickme(clickme_path);
  const auto& clickme = *source;
  const int threads = at::get_num_threads();  // --threads, as main() configured it
  const auto protocol = alignment::parse_protocol(p.protocol);
  alignment::AlignmentSummary summary;
  if (!p.maps.empty()) {
    summary = alignment::score_map_file(alignment::MapFile(p.maps, "maps"), clickme, threads, protocol);
  } else {
    const auto trained = training::load_trained_model(p.checkpoint, training::parse_device(p.device));
    summary = alignment::score_model(trained, clickme, {p.batch_size, threads, p.save_maps, protocol});
  }
  fmt::print(
      "{} images: score {:.4f} (mean Spearman {:.4f} / ceiling {:.4f}), Dice {:.4f}, IoU {:.4f}\n",
      summary.n, summary.score, summary.spearman, summary.ceiling, summary.dice, summary.iou);
  if (protocol == alignment::Protocol::paper) {
    fmt::print("paper protocol: mean Spearman at 56 px {:.4f}, at 14 px {:.4f}\n", summary.spearman_56,
               summary.spearman_14);
  }
  if (summary.model_seconds > 0) {
    fmt::print("{:.1f} images/s; model forward + backward {:.0f}% of {:.1f} s\n",
               summary.n / summary.seconds, 100 * summary.model_seconds / summary.seconds,
               summary.seconds);
  }
  if (summary.undefined > 0) {
    fmt::print(
        stderr,
        "warning: {} images have no Spearman rho (a constant map, or NaN/inf in one); left out of the mean\n",
        summary.undefined);
  }
  write_text_files({{p.out, alignment::alignment_json(summary, {input, p.clickme})},
                    {csv_path_for(p.out), alignment::alignment_csv(summary)}});
  fmt::print("wrote {} and {}{}\n", p.out, csv_path_for(p.out),
             p.save_maps.empty() ? "" : " and " + p.save_maps);
  return 0;
}

}  // namespace ventral::cli
