// A neural-predictivity metric composed as Brain-Score composes one
// (docs/reference/scoring.md sec. 4.1): a regression (regression.h) fitted on each
// cross-validation split's training stimuli (cross_validation.h), a correlation per
// neuroid between its predictions and the held-out responses, and an aggregation over
// neuroids. Correlations and aggregations are registered here by name, like the
// regressions: a new one is one function (metrics.h) and one line in metric.cpp.
// The split-half ceiling stays Brain-Score's (Pearson, Spearman-Brown, median) whatever
// the metric: it measures the data's reliability, not the model.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// The parts of a metric, by registered name.
struct MetricSpec {
  std::string regression = "pls";       ///< see regression_names()
  std::string correlation = "pearson";  ///< see correlation_names()
  std::string aggregation = "median";   ///< see aggregation_names()
};

/// Per-neuroid agreement of predictions and responses (test stimuli x neuroids each);
/// NaN where it is undefined (a constant column).
using Correlation = Vector (*)(const Matrix& predicted, const Matrix& observed);
/// One number from per-neuroid values, skipping NaN; `undefined` receives their count.
using Aggregation = double (*)(const Vector& values, Index* undefined);

/// Registered correlation names, in display order ("pearson" first: the default).
const std::vector<std::string>& correlation_names();
/// The correlation called `name`; throws ventral::Error naming the known ones.
Correlation correlation_named(const std::string& name);

/// Registered aggregation names, in display order ("median" first: the default).
const std::vector<std::string>& aggregation_names();
/// The aggregation called `name`; throws ventral::Error naming the known ones.
Aggregation aggregation_named(const std::string& name);

/// Throws ventral::Error unless every part of `spec` is registered.
void check_metric(const MetricSpec& spec);

}  // namespace ventral::neural_fit
