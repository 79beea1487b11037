// Neuron-to-neuron mapping (Brain-Score `neuron_to_neuron`, SingleRegression): each
// target is predicted by the single source unit with the highest training Pearson r
// (NaN correlations of constant units skipped); the prediction is that unit's raw value.
#pragma once

#include <vector>

#include "neural_fit/feature_design.h"

namespace ventral::neural_fit {

/// Index of the best source unit per target column of Y (train rows of `design`).
/// Streams the features in column blocks, so the train matrix is never copied whole.
std::vector<Index> neuron_to_neuron_map(const FeatureDesign& design, const Rows& train, const Matrix& y);

/// Predictions for `rows`: column j is the raw value of unit mapping[j].
Matrix neuron_to_neuron_predict(const FeatureDesign& design, const Rows& rows,
                                const std::vector<Index>& mapping);

}  // namespace ventral::neural_fit
