#include "neural_fit/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace ventral::neural_fit {

namespace {

void require_same_shape(const Matrix& a, const Matrix& b, const char* what) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    throw std::invalid_argument(std::string(what) + ": shapes differ");
  }
}

// Ranks 1..n of one column, ties sharing their average rank (scipy.stats.rankdata).
// A column with NaN or inf has no ranks: all NaN, so its correlation is undefined.
Vector average_ranks(const Eigen::Ref<const Vector>& values) {
  const Index n = values.size();
  if (!values.allFinite()) return Vector::Constant(n, std::numeric_limits<double>::quiet_NaN());
  std::vector<Index> order(static_cast<std::size_t>(n));
  for (Index i = 0; i < n; ++i) order[static_cast<std::size_t>(i)] = i;
  std::stable_sort(order.begin(), order.end(), [&](Index a, Index b) { return values(a) < values(b); });
  Vector ranks(n);
  for (Index begin = 0; begin < n;) {
    Index end = begin + 1;
    while (end < n && values(order[end]) == values(order[begin])) ++end;
    const double shared = 0.5 * static_cast<double>(begin + 1 + end);  // mean of ranks begin+1..end
    for (Index k = begin; k < end; ++k) ranks(order[k]) = shared;
    begin = end;
  }
  return ranks;
}

}  // namespace

Vector pearson_columns(const Matrix& a, const Matrix& b) {
  require_same_shape(a, b, "pearson_columns");
  Vector r(a.cols());
  for (Index j = 0; j < a.cols(); ++j) {
    Vector x = a.col(j).array() - a.col(j).mean();
    Vector y = b.col(j).array() - b.col(j).mean();
    double nx = x.norm(), ny = y.norm();
    if (!(nx > 0) || !(ny > 0)) {
      r(j) = std::numeric_limits<double>::quiet_NaN();
      continue;
    }
    r(j) = std::clamp(x.dot(y) / (nx * ny), -1.0, 1.0);
  }
  return r;
}

Vector spearman_columns(const Matrix& predicted, const Matrix& observed) {
  require_same_shape(predicted, observed, "spearman_columns");
  Matrix rank_p(predicted.rows(), predicted.cols()), rank_o(observed.rows(), observed.cols());
  for (Index j = 0; j < predicted.cols(); ++j) {
    rank_p.col(j) = average_ranks(predicted.col(j));
    rank_o.col(j) = average_ranks(observed.col(j));
  }
  return pearson_columns(rank_p, rank_o);
}

Vector explained_variance_columns(const Matrix& predicted, const Matrix& observed) {
  require_same_shape(predicted, observed, "explained_variance_columns");
  Vector ev(observed.cols());
  for (Index j = 0; j < observed.cols(); ++j) {
    Vector residual = observed.col(j) - predicted.col(j);
    const double residual_var = (residual.array() - residual.mean()).square().sum();
    const double observed_var = (observed.col(j).array() - observed.col(j).mean()).square().sum();
    ev(j) = observed_var > 0 ? 1.0 - residual_var / observed_var
                             : std::numeric_limits<double>::quiet_NaN();
  }
  return ev;
}

double nan_median(const Vector& values, Index* skipped) {
  std::vector<double> finite;
  for (Index i = 0; i < values.size(); ++i) {
    if (std::isfinite(values(i))) finite.push_back(values(i));
  }
  if (skipped) *skipped = values.size() - static_cast<Index>(finite.size());
  if (finite.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::sort(finite.begin(), finite.end());
  std::size_t m = finite.size() / 2;
  return finite.size() % 2 ? finite[m] : 0.5 * (finite[m - 1] + finite[m]);
}

double nan_mean(const Vector& values, Index* skipped) {
  double sum = 0;
  Index finite = 0;
  for (Index i = 0; i < values.size(); ++i) {
    if (!std::isfinite(values(i))) continue;
    sum += values(i);
    ++finite;
  }
  if (skipped) *skipped = values.size() - finite;
  return finite > 0 ? sum / static_cast<double>(finite) : std::numeric_limits<double>::quiet_NaN();
}

double mean(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double s = 0;
  for (double v : values) s += v;
  return s / static_cast<double>(values.size());
}

double standard_error(const std::vector<double>& values) {
  if (values.empty()) return std::numeric_limits<double>::quiet_NaN();
  double m = mean(values), ss = 0;
  for (double v : values) ss += (v - m) * (v - m);
  return std::sqrt(ss / static_cast<double>(values.size())) /
         std::sqrt(static_cast<double>(values.size()));
}

double spearman_brown(double r) { return 2 * r / (1 + r); }

}  // namespace ventral::neural_fit
