#include "neural_fit/layer_selection.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "common/random_draw.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/linalg.h"
#include "neural_fit/metric.h"
#include "neural_fit/regression.h"

namespace ventral::neural_fit {

namespace {

// Per-neuroid agreement on `test` of a fit on `train` (positions in the target's stimuli).
Vector split_agreement(Regression& regression, const FeatureDesign& design, const Matrix& y,
                       const Rows& train, const Rows& test, const Correlation& correlate,
                       std::vector<std::string>* warnings) {
  Matrix predicted = regression.fit_predict(design, train, test, gather_rows(y, train), warnings);
  return correlate(predicted, gather_rows(y, test));
}

}  // namespace

NestedLayerScore nested_layer_score(
    const std::vector<std::pair<std::string, const FeatureDesign*>>& candidates,
    const NeuralTarget& target, const FitOptions& options, int inner_splits,
    std::vector<std::string>* warnings) {
  if (candidates.empty()) fail("nested layer selection: no candidate layers");
  if (inner_splits < 2)
    fail("nested layer selection: {} inner splits, expected at least 2", inner_splits);
  const Matrix& y = target.data.responses;
  for (const auto& [name, design] : candidates) {
    if (design->samples() != y.rows())
      fail("layer {}: features have {} rows for {} neural stimuli", name, design->samples(), y.rows());
  }
  auto regression = make_regression(options.metric.regression, options.regression);
  const Correlation correlate = correlation_named(options.metric.correlation);
  const Aggregation aggregate = aggregation_named(options.metric.aggregation);
  std::vector<std::string> fit_warnings;
  NestedLayerScore result;
  Matrix per_neuroid(static_cast<Index>(target.splits.size()), y.cols());
  for (std::size_t k = 0; k < target.splits.size(); ++k) {
    const Split& outer = target.splits[k];
    // inner splits over the outer train stimuli, as positions in the target
    ShuffleSplitOptions inner_options{inner_splits, 0.9, mix64(options.splits.seed ^ mix64(k + 1))};
    const auto inner = shuffle_splits(static_cast<Index>(outer.train.size()), inner_options);
    auto positions = [&](const Rows& local) {
      Rows rows;
      for (Index i : local) rows.push_back(outer.train[static_cast<std::size_t>(i)]);
      std::sort(rows.begin(), rows.end());
      return rows;
    };
    std::vector<double> scores;
    for (const auto& [name, design] : candidates) {
      double sum = 0;
      int n = 0;
      for (const auto& split : inner) {
        const Vector r = split_agreement(*regression, *design, y, positions(split.train),
                                         positions(split.test), correlate, &fit_warnings);
        const double value = aggregate(r, nullptr);
        if (std::isfinite(value)) sum += value, ++n;
      }
      scores.push_back(n > 0 ? sum / n : -std::numeric_limits<double>::infinity());
    }
    const auto best = static_cast<std::size_t>(std::max_element(scores.begin(), scores.end()) -
                                               scores.begin());
    result.chosen.push_back(candidates[best].first);
    result.inner.push_back(std::move(scores));
    per_neuroid.row(static_cast<Index>(k)) = split_agreement(*regression, *candidates[best].second, y,
                                                             outer.train, outer.test, correlate,
                                                             &fit_warnings)
                                                 .transpose();
  }
  if (warnings) {
    for (const auto& w : fit_warnings) {
      if (std::find(warnings->begin(), warnings->end(), w) == warnings->end()) warnings->push_back(w);
    }
  }
  const double ceiling = target.ceiling.available ? target.ceiling.value
                                                  : std::numeric_limits<double>::quiet_NaN();
  result.score = make_score(per_neuroid, ceiling, aggregate);
  return result;
}

}  // namespace ventral::neural_fit
