// The IT-patch protocol (Linsley et al. 2023 on Arcaro et al. 2020 recordings;
// docs/reference/scoring.md sec. 6.3): layer maps resampled to the recording grid; samples are grid
// positions; leave-one-image-out folds; PLS; Pearson r per site across the held-out
// image's positions; median over sites; mean over folds (correlation and aggregation are
// the MetricSpec's registered parts: Pearson and median by default). The layer is chosen inside
// each outer fold by an inner leave-one-image-out on the training images only, never
// on the test image (the reference code chose it on the evaluation data).
// Ceilings: split-half over repetitions when they exist (per image and site across
// positions, Spearman-Brown, median over sites, mean over images and splits), and the
// published "best inter-site agreement": per image, over site pairs i < j among the
// first R-1 sites, the mean over grid rows of the row-wise Pearson r between the two
// maps; the maximum over pairs (NaN pairs skipped); mean over images.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/ceiling.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/metric.h"
#include "neural_fit/patch_data.h"
#include "neural_fit/pls.h"
#include "neural_fit/score.h"

namespace ventral::neural_fit {

struct PatchOptions {
  /// Correlation per site across the held-out image's positions and aggregation over
  /// sites, by name; the regression is always PLS (anything else is refused).
  MetricSpec metric;
  PlsOptions pls;          ///< the regression (sklearn defaults; the reference used tol 1e-4)
  CeilingOptions ceiling;  ///< split-half settings
};

struct PatchLayer {
  std::string layer;
  std::vector<double> fold_scores;  ///< plain leave-one-image-out, per held-out image
  double mean = 0;                  ///< diagnostic only: chosen on the test folds
};

struct PatchResult {
  Score score;                            ///< nested selection; per_neuroid: folds x sites
  std::vector<std::string> chosen_layer;  ///< per outer fold
  std::vector<PatchLayer> layers;         ///< per-layer plain LOIO, for the table
  CeilingResult split_half;               ///< available only with repetitions
  double published_ceiling = 0;           ///< best inter-site agreement
  double ceiled_published = 0;            ///< raw / published_ceiling (plain division)
  std::vector<std::string> warnings;
};

/// Per-image maps on the grid from features held in memory (`x`: images x (C*H*W), rows in
/// the order of data.stimulus_ids): images x ((g*g) x C).
std::vector<Matrix> maps_on_grid(const FeatureMatrix& x, Index c, Index h, Index w,
                                 const PatchData& data);

/// Per-image layer maps on the grid: images x ((g*g) x C).
std::vector<Matrix> layer_on_grid(const FeatureFile& features, const std::string& layer,
                                  const PatchData& data);

/// Per-site correlation (options.metric.correlation) for image `test` after fitting PLS
/// (options.pls) on `train`.
Vector patch_fold_correlations(const std::vector<Matrix>& x, const PatchData& data, const Rows& train,
                               Index test, const PatchOptions& options,
                               std::vector<std::string>* warnings);

/// Best inter-site agreement ceiling of the mean maps.
double best_inter_site_ceiling(const PatchData& data);
/// Split-half ceiling over repetitions (not available without them).
CeilingResult patch_split_half_ceiling(const PatchData& data, const CeilingOptions& options);

/// Runs the whole protocol over `layers`.
PatchResult run_patch_protocol(const FeatureFile& features, const std::vector<std::string>& layers,
                               const PatchData& data, const PatchOptions& options);
/// The same on maps already on the grid (maps_on_grid), one set per layer.
PatchResult run_patch_protocol(const std::vector<std::vector<Matrix>>& grids,
                               const std::vector<std::string>& layers, const PatchData& data,
                               const PatchOptions& options);

}  // namespace ventral::neural_fit
