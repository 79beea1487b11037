// Pathfinder sets: the generator of stimuli/pathfinder.h run on threads, its images written
// to HDF5 (`ventral data pathfinder`) or held in memory as a Dataset (spec
// `pathfinder:?length=14&size=64&count=N&seed=S`).
//
// File layout (read back by `h5:FILE`, which takes the 3-D images as one channel):
//   images       uint8   N x S x S
//   labels       int64   N            1: the markers are on the same snake
//   classes      strings              "different", "same"
//   snakes       float32 N x 2 x L x 4  target paddles (y0, x0, y1, x1) from the origin end
//   markers      float32 N x 2 x 2      marker centres (y, x): [0] an origin end, [1] a far end
//   distractors  float32 N x D x L/3 x 4  distractor paddles, NaN where none was placed
//   margins      int64   N            paddle margin of each image
//   attributes   generator, preset, seed, count and every setting, as strings
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "stimuli/pathfinder.h"
#include "training/data/dataset.h"

namespace ventral::data {

/// Images [begin, end) of the set, on `threads` threads (common/parallel_map.h): the same
/// images for any thread count. Rethrows the error of the lowest failing image.
std::vector<stimuli::PathfinderSample> generate_pathfinder_range(
    const stimuli::PathfinderOptions& options, std::uint64_t seed, std::size_t begin, std::size_t end,
    int threads);

struct PathfinderWriteSummary {
  std::size_t images = 0;
  std::size_t positives = 0;  ///< label 1
  double seconds = 0;
};

/// Writes `count` images atomically to `out_path` (a failure leaves no file), with
/// progress lines on stderr. Throws Error for bad settings or a contour that cannot be placed.
PathfinderWriteSummary write_pathfinder_h5(const stimuli::PathfinderOptions& options, std::uint64_t seed,
                                           std::size_t count, int threads, const std::string& out_path);

/// Settings of a `pathfinder:` spec.
struct PathfinderSpec {
  stimuli::PathfinderOptions options;
  std::uint64_t seed = 0;
  std::size_t count = 1000;
};

/// Parses `?length=14&size=64&count=N&seed=S[&preset=NAME]` (length default 14, size
/// default 64, count 1000, seed 0; preset default: the one of that size, see
/// stimuli::pathfinder_preset_for_size; a preset with another size keeps its settings at that
/// size). Throws Error naming the spec and the key.
PathfinderSpec parse_pathfinder_spec(const std::string& spec, const std::string& query);

/// Seed of a split: `train` uses the spec's seed S, `val` mix64(S ^ 1) and `test`
/// mix64(S ^ 2) (SplitMix64, common/random_draw.h), so the held-out images differ from the
/// training ones. Throws Error for any other split.
std::uint64_t pathfinder_split_seed(std::uint64_t seed, const std::string& split,
                                    const std::string& spec);

/// A set generated when opened and held in memory: 1 channel, classes {"different", "same"}.
class PathfinderDataset : public Dataset {
 public:
  PathfinderDataset(const PathfinderSpec& spec, std::uint64_t seed, std::string name, int threads);

  std::size_t size() const override { return labels_.size(); }
  std::int64_t label(std::size_t i) const override { return labels_.at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override;
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 1; }

 private:
  std::string name_;
  int size_px_ = 0;
  std::vector<std::uint8_t> pixels_;
  std::vector<std::int64_t> labels_;
  std::vector<std::string> classes_ = {"different", "same"};
};

}  // namespace ventral::data
