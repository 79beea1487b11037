// Human maps from clicks, as the ClickMe 2 processing builds them
// (serre-lab/human_clickme_data_processing, utils.circle_kernel / convolve(double_conv=True)):
// clicks counted per canvas pixel (at most 255 per pixel and trial, the reference's uint8
// canvas), the trials of a set summed, blurred twice with a flat disk of diameter blur_size
// (the pixels within (size - 1) / 2 of the centre, weights summing to 1; zero padding, output
// the canvas size, as torch's conv2d(padding="same")), then centre-cropped (torchvision's
// center_crop offsets). A sum instead of the reference's mean: the Spearman rho is the same.
#pragma once

#include <vector>

#include "alignment/click_logs.h"

namespace ventral::alignment {

struct ClickMapOptions {
  int canvas_height = 256, canvas_width = 256;
  int blur_size = 21;  ///< disk diameter in pixels (odd; an even size gets +1, as the reference)
  int crop = 224;      ///< side of the centre crop (0: none)
};

/// The flat disk: size x size weights, 1 / count inside the circle of radius (size - 1) / 2
/// around the centre, 0 outside.
std::vector<float> disk_kernel(int size);

/// `map` (height x width) convolved with disk_kernel(size), zero padding, same size: each
/// output a sum of 2r + 1 row runs read from per-row prefix sums (O(r) per pixel, not O(r^2)).
std::vector<float> disk_blur(const std::vector<float>& map, int height, int width, int size);

/// Click counts of `trials` on the canvas (each trial's count at a pixel capped at 255).
std::vector<float> click_counts(const std::vector<const ClickTrial*>& trials,
                                const ClickMapOptions& options);

/// The map of a set of trials: counts -> disk blur twice -> centre crop. Row-major,
/// map_side(options) squared (or the canvas when crop is 0).
std::vector<float> click_map(const std::vector<const ClickTrial*>& trials,
                             const ClickMapOptions& options);

/// Height and width of click_map's output.
int click_map_height(const ClickMapOptions& options);
int click_map_width(const ClickMapOptions& options);

}  // namespace ventral::alignment
