#include "neural_fit/metrics.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ventral::neural_fit {

Vector pearson_columns(const Matrix& a, const Matrix& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) {
    throw std::invalid_argument("pearson_columns: shapes differ");
  }
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
