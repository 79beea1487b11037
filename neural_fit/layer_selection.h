// The layer chosen by nested cross-validation, so that the choice never sees the test
// stimuli: on each outer split of the target, every candidate layer is scored by an inner
// shuffle-split cross-validation over that split's train stimuli only (the same regression,
// correlation and aggregation; mean over the inner splits), the best is fitted on the outer
// train stimuli and tested on the outer test stimuli. The raw score is the mean over outer
// splits, as for a fixed layer, with the same ceiling.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "neural_fit/feature_design.h"
#include "neural_fit/fit_standard.h"

namespace ventral::neural_fit {

struct NestedLayerScore {
  Score score;
  std::vector<std::string> chosen;         ///< the layer picked on each outer split
  std::vector<std::vector<double>> inner;  ///< outer split x candidate: the inner mean score
};

/// `candidates`: (layer name, design with rows aligned with target.data.stimulus_ids).
/// `inner_splits` shuffle splits per outer split (train fraction 0.9, seed from
/// options.splits.seed and the outer split's index).
NestedLayerScore nested_layer_score(
    const std::vector<std::pair<std::string, const FeatureDesign*>>& candidates,
    const NeuralTarget& target, const FitOptions& options, int inner_splits,
    std::vector<std::string>* warnings);

}  // namespace ventral::neural_fit
