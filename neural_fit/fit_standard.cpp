#include "neural_fit/fit_standard.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <limits>
#include <unordered_map>

#include "common/error.h"
#include "neural_fit/linalg.h"
#include "neural_fit/pca.h"

namespace ventral::neural_fit {
namespace {

std::vector<std::string> stratify_labels(const NeuralData& data, const std::string& coord,
                                         const StimulusSet* set) {
  auto it = data.stimulus_coords.find(coord);
  if (it != data.stimulus_coords.end()) return it->second;
  if (set && set->columns.count(coord)) {
    std::unordered_map<std::string, std::string> by_id;
    const auto& column = set->columns.at(coord);
    for (std::size_t i = 0; i < set->stimulus_id.size(); ++i) by_id[set->stimulus_id[i]] = column[i];
    std::vector<std::string> labels;
    for (const auto& id : data.stimulus_ids) {
      auto found = by_id.find(id);
      if (found == by_id.end())
        fail("--stratify {}: stimulus '{}' is not in the stimulus set", coord, id);
      labels.push_back(found->second);
    }
    return labels;
  }
  std::vector<std::string> known;
  for (const auto& entry : data.stimulus_coords) known.push_back(entry.first);
  fail("--stratify {}: no such stimulus coordinate; known: {}", coord,
       known.empty() ? std::string("none") : fmt::format("{}", fmt::join(known, ", ")));
}

}  // namespace

NeuralTarget prepare_target(const NeuralAssembly& assembly, const FitOptions& options,
                            const StimulusSet* stimulus_set) {
  NeuralTarget t;
  t.data = prepare_neural_data(assembly);
  t.ceiling = split_half_ceiling(t.data.trials, static_cast<Index>(t.data.stimulus_ids.size()),
                                 options.ceiling);
  if (!options.splits_file.empty()) {
    t.splits = read_splits_file(options.splits_file, t.data.stimulus_ids);
    t.split_source = options.splits_file;
  } else if (!options.stratify.empty()) {
    t.splits = stratified_splits(stratify_labels(t.data, options.stratify, stimulus_set),
                                 options.splits);
    t.split_source = "stratified by " + options.stratify;
  } else {
    t.splits = shuffle_splits(static_cast<Index>(t.data.stimulus_ids.size()), options.splits);
    t.split_source = "shuffle";
  }
  return t;
}

Score cross_validated_score(const FeatureDesign& design, const NeuralTarget& target,
                            const FitOptions& options, std::vector<std::string>* warnings,
                            std::vector<std::string>* details, std::vector<Matrix>* predictions) {
  const Matrix& y = target.data.responses;
  if (design.samples() != y.rows()) {
    fail("features have {} rows for {} neural stimuli", design.samples(), y.rows());
  }
  auto regression = make_regression(options.metric.regression, options.regression);
  const Correlation correlate = correlation_named(options.metric.correlation);
  const Aggregation aggregate = aggregation_named(options.metric.aggregation);
  Matrix per_neuroid(static_cast<Index>(target.splits.size()), y.cols());
  std::vector<std::string> fit_warnings;
  for (std::size_t k = 0; k < target.splits.size(); ++k) {
    const Split& split = target.splits[k];
    Matrix predicted = regression->fit_predict(design, split.train, split.test,
                                               gather_rows(y, split.train), &fit_warnings);
    per_neuroid.row(
        static_cast<Index>(k)) = correlate(predicted, gather_rows(y, split.test)).transpose();
    if (details) details->push_back(regression->last_detail());
    if (predictions) predictions->push_back(std::move(predicted));
  }
  if (warnings) {
    for (const auto& w : fit_warnings) {  // the same warning from every split once
      if (std::find(warnings->begin(), warnings->end(), w) == warnings->end()) warnings->push_back(w);
    }
  }
  const double ceiling = target.ceiling.available ? target.ceiling.value
                                                  : std::numeric_limits<double>::quiet_NaN();
  return make_score(per_neuroid, ceiling, aggregate);
}

Index count_constant_columns(const FeatureMatrix& x) {
  if (x.rows() == 0) return 0;
  Eigen::Array<float, 1, Eigen::Dynamic> lo = x.row(0), hi = x.row(0);
  for (Index i = 1; i < x.rows(); ++i) {
    lo = lo.min(x.row(i).array());
    hi = hi.max(x.row(i).array());
  }
  return (lo == hi).count();
}

LayerScore score_layer(const FeatureFile& features, const std::string& layer, const NeuralTarget& target,
                       const FitOptions& options) {
  auto start = std::chrono::steady_clock::now();
  LayerScore out;
  out.layer = layer;
  FeatureMatrix x = features.read_rows(layer, features.rows_for(target.data.stimulus_ids));
  out.features = x.cols();
  if (!x.allFinite()) fail("{}: layer '{}' has NaN or inf features", features.path(), layer);
  out.constant_features = count_constant_columns(x);
  if (out.constant_features == out.features) {
    fail("{}: layer '{}': every feature is constant across the {} stimuli", features.path(), layer,
         x.rows());
  }
  if (out.constant_features > 0) {
    out.warnings.push_back(fmt::format("layer {}: {} of {} features are constant (no effect on the fit)",
                                       layer, out.constant_features, out.features));
  }
  FeatureDesign design(std::move(x));
  if (options.pca > 0 && design.width() > options.pca) {
    RandomizedSvdOptions svd;
    svd.components = options.pca;
    svd.seed = options.splits.seed;
    design = FeatureDesign(pca_scores_from_gram(design.gram(), svd));
  }
  out.features_fitted = design.width();
  out.score = cross_validated_score(design, target, options, &out.warnings, &out.split_details);
  out.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return out;
}

}  // namespace ventral::neural_fit
