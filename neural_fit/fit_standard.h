// The standard protocol (Brain-Score's CrossRegressedCorrelation, docs/reference/scoring.md
// sec. 4.1): features of the neural stimuli -> cross-validated regression -> correlation
// per neuroid on each split's test stimuli (Pearson) -> aggregation over neuroids
// (median) -> mean over splits, with the split-half ceiling and every ceiled convention.
// Regression, correlation and aggregation are the registered parts of a MetricSpec.
// Neural data, ceiling and splits are prepared once and shared by every layer of a sweep.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/ceiling.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/feature_design.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/metric.h"
#include "neural_fit/neural_assembly.h"
#include "neural_fit/regression.h"
#include "neural_fit/score.h"
#include "neural_fit/stimulus_set.h"

namespace ventral::neural_fit {

/// Everything `ventral fit --protocol standard` can set.
struct FitOptions {
  MetricSpec metric;  ///< regression, correlation and aggregation, by name
  RegressionOptions regression;
  ShuffleSplitOptions splits;  ///< used unless splits_file is set
  std::string splits_file;     ///< HDF5 with stimulus_id, train/<k>, test/<k>
  std::string stratify;        ///< per-stimulus coordinate to stratify by (empty: none)
  Index pca = 0;               ///< reduce wider layers to this many components (0: off)
  CeilingOptions ceiling;
};

/// Neural data, ceiling and splits, prepared once.
struct NeuralTarget {
  NeuralData data;
  CeilingResult ceiling;
  std::vector<Split> splits;
  std::string split_source;  ///< "shuffle", "stratified by X" or the splits file
};

/// Prepares the target; `stimulus_set` (optional) supplies coordinates for --stratify.
NeuralTarget prepare_target(const NeuralAssembly& assembly, const FitOptions& options,
                            const StimulusSet* stimulus_set = nullptr);

/// One layer's result.
struct LayerScore {
  std::string layer;
  Index features = 0;           ///< flattened width in the file
  Index features_fitted = 0;    ///< after --pca
  Index constant_features = 0;  ///< no effect on the fit; counted
  Score score;
  std::vector<std::string> warnings;
  std::vector<std::string> split_details;  ///< per split (chosen alpha, components)
  double seconds = 0;
};

/// Cross-validated Score of `design` (rows aligned with target.data.stimulus_ids).
/// `predictions` (optional) receives each split's test predictions (test x neuroids).
Score cross_validated_score(const FeatureDesign& design, const NeuralTarget& target,
                            const FitOptions& options, std::vector<std::string>* warnings,
                            std::vector<std::string>* details = nullptr,
                            std::vector<Matrix>* predictions = nullptr);

/// Reads one layer for the target's stimuli and scores it (PCA first when asked).
LayerScore score_layer(const FeatureFile& features, const std::string& layer, const NeuralTarget& target,
                       const FitOptions& options);

/// Number of columns that are constant over the rows.
Index count_constant_columns(const FeatureMatrix& x);

}  // namespace ventral::neural_fit
