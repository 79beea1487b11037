#include "neural_fit/score.h"

#include <cmath>
#include <limits>

#include "neural_fit/metrics.h"

namespace ventral::neural_fit {

CeiledScores ceil_score(double raw, double ceiling) {
  if (!(ceiling > 0) || !std::isfinite(raw)) {
    double nan = std::numeric_limits<double>::quiet_NaN();
    return {nan, nan, nan};
  }
  double ratio = raw / ceiling;
  return {ratio, ratio * ratio, raw * raw / ceiling};
}

Score make_score(const Matrix& per_neuroid, double ceiling, Aggregation aggregate) {
  if (aggregate == nullptr) aggregate = nan_median;
  Score s;
  s.per_neuroid = per_neuroid;
  s.neuroids_used = per_neuroid.cols();
  for (Index k = 0; k < per_neuroid.rows(); ++k) {
    Index skipped = 0;
    s.per_split.push_back(aggregate(per_neuroid.row(k).transpose(), &skipped));
    s.undefined_correlations += skipped;
  }
  s.raw = mean(s.per_split);
  s.sem = standard_error(s.per_split);
  s.ceiling = ceiling;
  s.ceiled = ceil_score(s.raw, ceiling);
  return s;
}

}  // namespace ventral::neural_fit
