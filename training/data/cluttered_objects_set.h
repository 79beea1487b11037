// `ventral data cluttered`: the ground-truth alignment set (stimuli/cluttered_objects.h)
// written as a folder of ClickMe HDF5 files, one per split, so that clickme:DIR trains,
// evaluates and scores alignment on it:
//   train.h5          `count` images, cue predictive        objects: source train split [0, 5/6)
//   clickme.h5        count / 3 more of the same kind (the human maps --harmonize mixes in)
//   val.h5            count / 6, cue predictive            objects: source train split [5/6, 1)
//   test.h5           count / 6, cue predictive            objects: source test split
//   test_nocue.h5     the same images as test.h5 without the cue
//   test_shuffled.h5  the same images with the cue of a uniformly drawn class
// Deterministic for a seed; each file's attributes record how it was made.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "stimuli/cluttered_objects.h"

namespace ventral::data {

struct ClutteredSetOptions {
  std::string source = "idx:/usr/share/datasets/fashion-mnist";  ///< gray objects with labels
  std::string source_train_split = "train", source_test_split = "t10k";
  std::string out;  ///< folder (created)
  std::size_t count = 6000;
  std::uint64_t seed = 0;
  stimuli::ClutteredObjectsOptions objects;
};

struct ClutteredSetSummary {
  std::vector<std::pair<std::string, std::size_t>> files;  ///< path, images
  double seconds = 0;
};

/// Writes the set; Error naming the source or the file (nothing is left half-written).
ClutteredSetSummary write_cluttered_set(const ClutteredSetOptions& options);

}  // namespace ventral::data
