// Pathfinder presets: the hGRU datasets (drewlinsley/pathfinder snakes2_wrapper.py) and the
// Long Range Arena builders (google-research/long-range-arena lra_benchmarks/data/
// pathfinder.py docstrings), with the wrapper's defaults for what they leave unset
// (padding 22, seed_distance 27, paddle_length 5, retrials 2/4, contrasts [1.0]).
// Checked against both sources: the LRA Pathfinder32/64/128/256 docstrings set exactly the
// values below (only lra32 sets paddle_length, 2); snakes2_wrapper.py's Args default
// paddle_length=5, padding=22, seed_distance=27, max_paddle_retrial=2,
// max_distractor_contour_retrial=4, paddle_contrast_list=[1.], and its script sets
// use_single_paddles=False. So lra64/lra128/lra256 paddles are 5 px as published.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "stimuli/pathfinder.h"

namespace ventral::stimuli {
namespace {

PathfinderOptions make(std::string name, int window, int padding, int seed_distance, double marker,
                       int paddle_length, double thickness, std::vector<int> margins, double continuity,
                       int budget, std::vector<double> snake_contrasts,
                       std::vector<double> paddle_contrasts) {
  PathfinderOptions o;
  o.preset = std::move(name);
  o.window_px = window;
  o.padding = padding;
  o.seed_distance = seed_distance;
  o.marker_radius = marker;
  o.paddle_length = paddle_length;
  o.paddle_thickness = thickness;
  o.paddle_margins = std::move(margins);
  o.continuity = continuity;
  o.antialias_scale = 2;
  o.distractor_budget = budget;
  o.snake_contrasts = std::move(snake_contrasts);
  o.paddle_contrasts = std::move(paddle_contrasts);
  return o;
}

}  // namespace

std::vector<std::string> pathfinder_preset_names() {
  return {"pathfinder300", "lra32", "lra64", "lra128", "lra256"};
}

PathfinderOptions pathfinder_preset(const std::string& name, int contour_length) {
  PathfinderOptions o;
  //                  window pad seed marker paddle thick margins  cont budget snake  paddle
  if (name == "pathfinder300") {
    o = make(name, 300, 22, 27, 5.0, 5, 2.0, {3}, 1.8, 30, {1.0}, {1.0});
  } else if (name == "lra32") {
    o = make(name, 32, 1, 7, 1.5, 2, 0.5, {1}, 1.0, 20, {2.0}, {0.75});
  } else if (name == "lra64") {
    o = make(name, 64, 1, 12, 2.5, 5, 1.0, {1}, 1.8, 22, {0.8}, {1.0});
  } else if (name == "lra128") {
    o = make(name, 128, 1, 20, 3.0, 5, 1.5, {2, 3}, 1.8, 35, {0.9}, {1.0});
  } else if (name == "lra256") {
    o = make(name, 256, 22, 27, 5.0, 5, 2.0, {3}, 1.8, 30, {1.0}, {1.0});
  } else {
    fail("pathfinder: unknown preset '{}'; known: {}", name, fmt::join(pathfinder_preset_names(), ", "));
  }
  o.contour_length = contour_length;
  return o;
}

std::string pathfinder_preset_for_size(int size_px) {
  switch (size_px) {
    case 32:
      return "lra32";
    case 64:
      return "lra64";
    case 128:
      return "lra128";
    case 256:
      return "lra256";
    case 300:
      return "pathfinder300";
    default:
      fail(
          "pathfinder: no preset for --size {}; presets exist for 32, 64, 128, 256 (Long Range "
          "Arena) and 300 (hGRU); give --preset to use one at another size",
          size_px);
  }
}

void validate_pathfinder_options(const PathfinderOptions& o) {
  if (o.window_px <= 0) fail("pathfinder: size must be a positive number of px, got {}", o.window_px);
  if (o.contour_length <= 0)
    fail("pathfinder: length must be a positive number of paddles, got {}", o.contour_length);
  if (o.paddle_length <= 0) fail("pathfinder: paddle length must be positive, got {}", o.paddle_length);
  if (o.paddle_thickness <= 0)
    fail("pathfinder: paddle thickness must be positive, got {}", o.paddle_thickness);
  if (o.paddle_margins.empty()) fail("pathfinder: expected at least one paddle margin");
  for (int m : o.paddle_margins) {
    // The canvas keeps a paddle's mask with its clearance in one 64-bit word per row.
    if (m < 0 || m > 8) fail("pathfinder: paddle margins must be in [0, 8] px, got {}", m);
    if (o.paddle_length + 2 * m + o.paddle_thickness > 44) {
      fail(
          "pathfinder: paddle length + 2 x margin + thickness must be at most 44 px, got {} + 2 x {} + {}",
          o.paddle_length, m, o.paddle_thickness);
    }
  }
  if (o.padding < 0 || o.seed_distance <= 0 || o.marker_radius <= 0 || o.continuity < 0) {
    fail(
        "pathfinder: padding >= 0, seed distance > 0, marker radius > 0 and continuity >= 0 "
        "expected, got {}, {}, {}, {}",
        o.padding, o.seed_distance, o.marker_radius, o.continuity);
  }
  if (o.snake_contrasts.empty() || o.paddle_contrasts.empty()) {
    fail("pathfinder: expected at least one snake and one paddle contrast");
  }
  if (o.max_image_attempts <= 0 || o.max_paddle_retrial < 0 || o.max_distractor_retrial < 0) {
    fail("pathfinder: attempt and retrial counts must be positive");
  }
}

}  // namespace ventral::stimuli
