// The picture of `ventral show --saliency`: one row per image with four panels, image |
// human map | model saliency | overlay (the saliency over the dimmed image), and a caption
// per row (stimulus id, class, Spearman rho). Drawn with cairo (text included) into a PNG
// that appears only when complete.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ventral::alignment {

struct SaliencyFigureRow {
  std::vector<std::uint8_t> rgb;  ///< the photograph, height x width x 3
  int height = 0, width = 0;
  std::vector<float> human;  ///< side x side (224: the blurred human map that is ranked)
  std::vector<float> model;  ///< side x side (the model's saliency, as ranked)
  int side = 0;
  std::string caption;
};

struct SaliencyFigureOptions {
  int panel_px = 224;  ///< each panel's side
  std::string title;   ///< drawn above the rows when not empty
};

/// Writes the figure to `path` (PNG). Error naming the file when it cannot be written or a
/// row's sizes do not match.
void write_saliency_figure(const std::string& path, const std::vector<SaliencyFigureRow>& rows,
                           const SaliencyFigureOptions& options = {});

}  // namespace ventral::alignment
