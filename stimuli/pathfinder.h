// Pathfinder generator (Linsley et al., NeurIPS 2018; Kim, Linsley et al., ICLR 2020), a
// C++ port of drewlinsley/pathfinder `snakes2.py:from_wrapper` with the presets of
// `snakes2_wrapper.py` (300 px) and of Long Range Arena (`lra_benchmarks/data/pathfinder.py`,
// 32/64/128/256 px); see docs/reference/recurrent.md section 5.
//
// One image: two target snakes of `contour_length` paddles grow from seeds
// `seed_distance` px apart; distractor snakes of contour_length / 3 paddles (integer
// division, as in the Python 2 original) follow, `distractor_budget / distractor_length`
// of them; then two markers: one on the origin end of a target snake, the other on the
// far end of the same snake (label 1, "same") or of the other one (label 0, "different").
// Every image is drawn from its own generator seeded from (seed, index), so images can be
// made on any number of threads, in any order, and any one can be regenerated alone.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ventral::stimuli {

/// The recipe's settings (names as in snakes2_wrapper.py). Filled by pathfinder_preset().
struct PathfinderOptions {
  std::string preset;                     ///< name it came from (provenance only)
  int window_px = 64;                     ///< image height and width
  int contour_length = 14;                ///< paddles per target snake (6, 9, 14)
  int padding = 1;                        ///< border (px) no paddle may enter
  int seed_distance = 12;                 ///< px between the two target snakes' seeds
  double marker_radius = 2.5;             ///< px
  int paddle_length = 5;                  ///< px
  double paddle_thickness = 1;            ///< px
  std::vector<int> paddle_margins = {1};  ///< px between paddles; one is drawn per image
  double continuity = 1.8;                ///< turn penalty: weight cos(min(continuity * turn, pi/2))^2
  int antialias_scale = 2;     ///< provenance only: paddles are drawn with exact area coverage
  int distractor_budget = 22;  ///< distractor snakes = budget / (contour_length / 3)
  std::vector<double> snake_contrasts = {1.0};   ///< per snake (distractors: per paddle)
  std::vector<double> paddle_contrasts = {1.0};  ///< per target paddle, times the snake's
  int max_paddle_retrial = 2;                    ///< re-draws of a colliding paddle
  int max_distractor_retrial = 4;                ///< re-tries of a failed distractor snake
  int max_image_attempts = 20000;                ///< failed target-snake pairs before giving up (Error)

  /// Paddles per distractor snake: contour_length / 3 (integer division).
  int distractor_length() const { return contour_length / 3; }
  /// Distractor snakes: distractor_budget / distractor_length(), 0 when that length is 0.
  int distractor_snakes() const;
};

/// Preset names: "pathfinder300" (the hGRU datasets), "lra32", "lra64", "lra128", "lra256".
std::vector<std::string> pathfinder_preset_names();

/// The preset's settings with `contour_length` paddles per target snake. Throws Error for
/// an unknown name.
PathfinderOptions pathfinder_preset(const std::string& name, int contour_length);

/// The preset whose window is `size_px` (32, 64, 128, 256: LRA; 300: pathfinder300).
/// Throws Error naming the sizes that have one.
std::string pathfinder_preset_for_size(int size_px);

/// Throws Error naming the setting for values out of range (non-positive sizes, lengths,
/// an empty margin list, a window too small for the seeds).
void validate_pathfinder_options(const PathfinderOptions& options);

/// One paddle: a dash from (y0, x0) to (y1, x1), px, in the snake's order from its
/// origin end; pixel centres are at integer coordinates.
struct PathfinderPaddle {
  float y0 = 0, x0 = 0, y1 = 0, x1 = 0;
};

struct PathfinderSample {
  std::vector<std::uint8_t> pixels;  ///< window_px x window_px, row-major
  std::int64_t label = 0;            ///< 1: both markers on the same target snake
  /// The two target snakes, contour_length paddles each. The origin end of snake s is
  /// targets[s].front() (y0, x0), the far end targets[s].back() (y1, x1).
  std::array<std::vector<PathfinderPaddle>, 2> targets;
  /// Distractor snakes that could be placed (at most distractor_snakes()).
  std::vector<std::vector<PathfinderPaddle>> distractors;
  /// Marker centres (y, x): markers[0] on an origin end, markers[1] on a far end.
  std::array<std::array<float, 2>, 2> markers{};
  int margin = 0;    ///< paddle margin drawn for this image
  int attempts = 1;  ///< target-snake pairs tried until one fitted
};

/// Image `index` of the set with seed `seed`. Throws Error when max_image_attempts pairs
/// of target snakes in a row cannot be placed (a contour too long for the window).
PathfinderSample generate_pathfinder(const PathfinderOptions& options, std::uint64_t seed,
                                     std::uint64_t index);

/// Seed of image `index`'s generator (SplitMix64 of seed and index).
std::uint64_t pathfinder_image_seed(std::uint64_t seed, std::uint64_t index);

}  // namespace ventral::stimuli
