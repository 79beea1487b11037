// The ground-truth alignment set (issue 11 sec. 4): small gray objects (Fashion-MNIST
// items) drawn in a random colour at a random place and scale on a cluttered background
// (dimmed fragments of other items over noise), plus a shortcut cue away from the object:
// a square whose colour names a class. Where a person would look is known exactly: the
// object, so the human map is the object's mask, blurred. The cue names the true class
// with probability `cue_agreement` (training-like splits), a uniformly drawn class
// (shuffled: the cue carries no information) or is absent.
//
// Every image is drawn from its own generator seeded from (seed, index), like Pathfinder's.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace ventral::stimuli {

enum class CueMode { predictive, shuffled, absent };

struct ClutteredObjectsOptions {
  int side = 64;        ///< image height and width (px)
  int object_min = 28;  ///< object side range (px), the 28 x 28 item rescaled
  int object_max = 40;
  int clutter_pieces = 6;  ///< fragments of other items in the background
  int cue_side = 7;        ///< px
  CueMode cue = CueMode::predictive;
  double cue_agreement = 0.9;  ///< predictive: P(cue colour = the true class's)
  double map_sigma = 2.0;      ///< px, Gaussian blur of the object mask (the human map)
};

/// Source objects: `count` gray side x side items (row-major, 0 = background) and labels.
struct ObjectPool {
  int item_side = 28;
  std::vector<std::uint8_t> pixels;  ///< count * item_side^2
  std::vector<std::int64_t> labels;
  int classes = 10;
  std::size_t size() const { return labels.size(); }
};

struct ClutteredSample {
  std::vector<std::uint8_t> rgb;  ///< side x side x 3
  std::vector<float> map;         ///< side x side, 0..255 (the human map, as ClickMe releases them)
  std::int64_t label = 0;
  std::int64_t cue_class = -1;  ///< the class the cue names; -1 when absent
  std::size_t object = 0;       ///< index of the item in the pool
};

/// The defaults (given for 64 px) scaled to a `side` px image: object 0.44-0.62 of the
/// side, cue about a ninth of it.
ClutteredObjectsOptions cluttered_options_for_side(int side);

/// Error naming the field when a setting cannot produce an image (sizes that do not fit,
/// probabilities outside [0, 1], more cue classes than colours).
void validate_cluttered_options(const ClutteredObjectsOptions& options, const ObjectPool& pool);

/// Image `index` of the set with this seed; the object is pool item (index mod pool size).
ClutteredSample make_cluttered_object(const ObjectPool& pool, const ClutteredObjectsOptions& options,
                                      std::uint64_t seed, std::uint64_t index);

/// The cue colour of each class (RGB), distinct and saturated; at most 12 classes.
std::vector<std::array<std::uint8_t, 3>> cue_colours();

}  // namespace ventral::stimuli
