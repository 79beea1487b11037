// Correlation and aggregation as Brain-Score uses them: Pearson r per neuroid (column)
// across stimuli (scipy.stats.pearsonr; NaN when either side is constant), median over
// neuroids ignoring NaN, mean over splits, standard error = population std / sqrt(n).
#pragma once

#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// Pearson r between matching columns of `a` and `b` (same shape); NaN for a constant
/// column; clipped to [-1, 1].
Vector pearson_columns(const Matrix& a, const Matrix& b);

/// Median of the finite values (NaN if none); `skipped` receives the count of NaNs.
double nan_median(const Vector& values, Index* skipped = nullptr);
double mean(const std::vector<double>& values);
/// Population standard deviation / sqrt(n) (Brain-Score's error over splits).
double standard_error(const std::vector<double>& values);

/// Spearman-Brown prophecy for doubling the data: 2r / (1 + r).
double spearman_brown(double r);

}  // namespace ventral::neural_fit
