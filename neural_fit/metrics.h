// The per-neuroid correlations and the aggregations of a metric (metric.h registers them
// by name), and the statistics over splits. Brain-Score's defaults: Pearson r per neuroid
// (column) across held-out stimuli (scipy.stats.pearsonr; NaN when either side is
// constant), median over neuroids ignoring NaN, mean over splits, standard error =
// population std / sqrt(n).
#pragma once

#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// Pearson r between matching columns of `a` and `b` (same shape); NaN for a constant
/// column; clipped to [-1, 1].
Vector pearson_columns(const Matrix& a, const Matrix& b);

/// Spearman rho between matching columns: Pearson r of the ranks, ties sharing their
/// average rank (scipy.stats.spearmanr); NaN for a constant column.
Vector spearman_columns(const Matrix& predicted, const Matrix& observed);
/// Explained variance per column, sklearn's explained_variance_score(multioutput=
/// "raw_values"): 1 - Var(observed - predicted) / Var(observed). NaN for a constant
/// observed column (sklearn's force_finite would report 0 or 1 there).
Vector explained_variance_columns(const Matrix& predicted, const Matrix& observed);

/// Median of the finite values (NaN if none); `skipped` receives the count of NaNs.
double nan_median(const Vector& values, Index* skipped = nullptr);
/// Mean of the finite values (NaN if none); `skipped` receives the count of NaNs.
double nan_mean(const Vector& values, Index* skipped = nullptr);
double mean(const std::vector<double>& values);
/// Population standard deviation / sqrt(n) (Brain-Score's error over splits).
double standard_error(const std::vector<double>& values);

/// Spearman-Brown prophecy for doubling the data: 2r / (1 + r).
double spearman_brown(double r);

}  // namespace ventral::neural_fit
