// `ventral show --saliency`: a trained model's saliency next to the human map for a few
// ClickMe records (image | human map | model saliency | overlay, rho in each caption),
// the maps being exactly those `ventral align` ranks.
#include <ATen/Parallel.h>
#include <fmt/core.h>
#include <torch/torch.h>

#include "alignment/alignment_score.h"
#include "alignment/clickme_map.h"
#include "alignment/clickme_source.h"
#include "alignment/model_alignment.h"
#include "alignment/saliency_figure.h"
#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/text_list.h"
#include "training/trained_model.h"

namespace ventral::cli {

int run_show_saliency(const Params& p) {
  if (p.checkpoint.empty()) fail("show --saliency: --checkpoint RUN/best.pt is required");
  if (p.clickme.empty()) fail("show --saliency: --clickme clickme:PATH is required");
  if (p.out.empty()) fail("--out: required, expected the output .png path");
  const std::string clickme_path = alignment::clickme_path(p.clickme);
  auto inputs = alignment::clickme_files(clickme_path);
  inputs.push_back(p.checkpoint);
  refuse_input_as_output(p.out, inputs);
  const auto source = alignment::open_clickme(clickme_path);
  const auto& clickme = *source;
  std::vector<std::size_t> indices;
  for (const auto& text : split_list(p.index)) {
    std::size_t used = 0;
    long long value = -1;
    try {
      value = std::stoll(text, &used);
    } catch (const std::exception&) {
    }
    if (used != text.size() || value < 0 || static_cast<std::size_t>(value) >= clickme.size())
      fail("--index {}: expected record numbers in 0..{} ({})", text, clickme.size() - 1, clickme_path);
    indices.push_back(static_cast<std::size_t>(value));
  }
  if (indices.empty()) fail("--index: expected one or more record numbers, e.g. 0,1,2,3");
  AtomicOutput check(p.out);  // the folder is writable before any work

  const auto trained = training::load_trained_model(p.checkpoint, training::parse_device(p.device));
  const auto maps = alignment::model_saliency(trained, clickme, indices);
  const auto& classes = trained.checkpoint.classes;
  std::vector<alignment::SaliencyFigureRow> rows;
  for (std::size_t k = 0; k < indices.size(); ++k) {
    const std::size_t i = indices[k];
    const float* data = maps[static_cast<int64_t>(k)].data_ptr<float>();
    std::vector<float> model_map(data, data + alignment::kScoreSide * alignment::kScoreSide);
    const auto heatmap = clickme.human_map(i);
    const auto scored = alignment::align_image(model_map, alignment::kScoreSide, alignment::kScoreSide,
                                               heatmap.values, heatmap.height, heatmap.width);
    auto photograph = clickme.photograph(i);
    alignment::SaliencyFigureRow row;
    row.rgb = std::move(photograph.pixels);
    row.height = photograph.height;
    row.width = photograph.width;
    row.human = alignment::clickme_human_map(heatmap.values.data(), heatmap.height, heatmap.width);
    row.model = std::move(model_map);
    row.side = alignment::kScoreSide;
    const auto label = clickme.labels()[i];
    const std::string name = label >= 0 && static_cast<std::size_t>(label) < classes.size()
                                 ? classes[static_cast<std::size_t>(label)]
                                 : std::to_string(label);
    row.caption = fmt::format("{}  class {}  Spearman rho {:.3f}  Dice {:.2f}",
                              clickme.stimulus_ids()[i], name, scored.spearman, scored.dice);
    fmt::print("{}: rho {:.4f}, Dice {:.4f}, IoU {:.4f}\n", clickme.stimulus_ids()[i], scored.spearman,
               scored.dice, scored.iou);
    rows.push_back(std::move(row));
  }
  alignment::write_saliency_figure(p.out, rows,
                                   {224, fmt::format("{} ({}) on {}", p.checkpoint,
                                                     trained.checkpoint.arch, clickme_path)});
  fmt::print("wrote {} ({} images: image | human map | model saliency | overlay)\n", p.out, rows.size());
  return 0;
}

}  // namespace ventral::cli
