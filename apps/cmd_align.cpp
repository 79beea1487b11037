// `ventral align`: the ClickMe alignment score of saliency maps against the human maps
// (alignment/ does the work), printed and written as JSON + CSV.
#include <fmt/core.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <thread>

#include "alignment/alignment_score.h"
#include "alignment/model_alignment.h"
#include "alignment/report.h"
#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "neural_fit/report.h"
#include "training/trained_model.h"

namespace ventral::cli {
namespace {

void write_text(AtomicOutput& out, const std::string& text) {
  std::ofstream stream(out.temp_path(), std::ios::binary);
  stream << text;
  stream.flush();
  if (!stream) fail("{}: cannot write (disk full?)", out.final_path());
}

}  // namespace

int run_align(const Params& p) {
  if (p.maps.empty() == p.checkpoint.empty())
    fail("--maps or --checkpoint: give exactly one (saliency maps to score, or a model to make them)");
  if (p.clickme.empty()) fail("--clickme: required, expected clickme:PATH (ventral's ClickMe HDF5)");
  if (p.out.empty()) fail("--out: required, expected the output .json path");
  if (!p.save_maps.empty() && p.checkpoint.empty()) fail("--save-maps: only with --checkpoint");
  const std::string clickme_path = alignment::clickme_path(p.clickme);
  const std::string input = p.maps.empty() ? p.checkpoint : p.maps;
  for (const auto& output : {p.out, neural_fit::csv_path_for(p.out), p.save_maps}) {
    if (!output.empty()) refuse_input_as_output(output, {input, clickme_path});
  }
  // Every output is checked before any work; none appears unless all were written.
  AtomicOutput json_out(p.out), csv_out(neural_fit::csv_path_for(p.out));
  const alignment::ClickMeFile clickme(clickme_path);
  const int threads = p.threads > 0
                          ? p.threads
                          : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  alignment::AlignmentSummary summary;
  if (!p.maps.empty()) {
    summary = alignment::score_map_file(alignment::MapFile(p.maps, "maps"), clickme, threads);
  } else {
    const auto trained = training::load_trained_model(p.checkpoint, training::parse_device(p.device));
    summary = alignment::score_model(trained, clickme, {p.batch_size, threads, p.save_maps});
  }
  fmt::print(
      "{} images: score {:.4f} (mean Spearman {:.4f} / ceiling {:.4f}), Dice {:.4f}, IoU {:.4f}\n",
      summary.n, summary.score, summary.spearman, summary.ceiling, summary.dice, summary.iou);
  if (summary.model_seconds > 0) {
    fmt::print("{:.1f} images/s; model forward + backward {:.0f}% of {:.1f} s\n",
               summary.n / summary.seconds, 100 * summary.model_seconds / summary.seconds,
               summary.seconds);
  }
  if (summary.undefined > 0) {
    fmt::print(stderr, "warning: {} constant maps have no Spearman rho; left out of the mean\n",
               summary.undefined);
  }
  write_text(json_out, alignment::alignment_json(summary, {input, p.clickme, "release"}));
  write_text(csv_out, alignment::alignment_csv(summary));
  json_out.commit();
  csv_out.commit();
  fmt::print("wrote {} and {}{}\n", p.out, neural_fit::csv_path_for(p.out),
             p.save_maps.empty() ? "" : " and " + p.save_maps);
  return 0;
}

}  // namespace ventral::cli
