// Train/test splits over stimuli: shuffle splits (Brain-Score's defaults: 10 splits,
// train fraction 0.9), stratified by a per-stimulus label (sklearn's
// StratifiedShuffleSplit allocation), or read from an HDF5 splits file so that
// published splits are reproduced exactly. Our generator is a seeded MT19937-64 with a
// portable integer draw: splits are identical across platforms, but not numpy's.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "common/random_draw.h"
#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct Split {
  Rows train;  ///< sorted positions
  Rows test;   ///< sorted positions
};

/// Shuffle-split settings (Brain-Score's `Split.Defaults`).
struct ShuffleSplitOptions {
  int n_splits = 10;            ///< number of splits
  double train_fraction = 0.9;  ///< n_train = floor(fraction * n), the rest is test
  std::uint64_t seed = 0;       ///< generator seed
};

/// Fisher-Yates shuffle with common/random_draw.h's `uniform_below` (portable, unbiased).
void portable_shuffle(Rows& values, std::mt19937_64& rng);

/// Random train/test splits of n items.
std::vector<Split> shuffle_splits(Index n, const ShuffleSplitOptions& options);
/// Splits that keep each label's share in train and test (largest-remainder allocation,
/// ties broken at random), as sklearn's StratifiedShuffleSplit.
std::vector<Split> stratified_splits(const std::vector<std::string>& labels,
                                     const ShuffleSplitOptions& options);

/// Reads `stimulus_id` (strings), `train/<k>` and `test/<k>` (int64 positions in that
/// list) and maps them onto `stimulus_ids` (our order). Every id a split uses must be
/// present in `stimulus_ids`; throws ventral::Error naming the file otherwise.
std::vector<Split> read_splits_file(const std::string& path,
                                    const std::vector<std::string>& stimulus_ids);

/// Writes splits in the same layout (used by tests and to export ventral's own splits).
void write_splits_file(const std::string& path, const std::vector<std::string>& stimulus_ids,
                       const std::vector<Split>& splits);

}  // namespace ventral::neural_fit
