// A neural predictivity score with every ceiling convention side by side, named
// (docs/reference/scoring.md sec. 4.4):
//   ceiled_ratio  = raw / ceiling        (Brain-Score 2018 - Jul 2019)
//   ceiled_ev2019 = (raw / ceiling)^2    (Jul 2019 - Jan 2026)
//   ceiled_ev2026 = raw^2 / ceiling      (since 2026-01-13; ventral's headline)
// No clipping to [0, 1], as in Brain-Score.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/metric.h"
#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct CeiledScores {
  double ratio;
  double ev2019;
  double ev2026;
};

/// The three conventions; NaN when the ceiling is missing or not positive.
CeiledScores ceil_score(double raw, double ceiling);

struct Score {
  double raw = 0;      ///< mean over splits of the aggregate (median) over neuroids
  double sem = 0;      ///< population std over splits / sqrt(splits)
  double ceiling = 0;  ///< NaN when not available
  CeiledScores ceiled{0, 0, 0};
  std::vector<double> per_split;     ///< aggregate (median) r per split
  Matrix per_neuroid;                ///< splits x neuroids r (NaN where undefined)
  Index neuroids_used = 0;           ///< neuroids that entered the fit
  Index undefined_correlations = 0;  ///< (split, neuroid) pairs with constant predictions or data

  /// The headline value: ceiled_ev2026.
  double headline() const { return ceiled.ev2026; }
};

/// Builds a Score from per-split per-neuroid r (splits x neuroids) and a ceiling,
/// aggregating each split over neuroids with `aggregate` (default: NaN-skipping median).
Score make_score(const Matrix& per_neuroid, double ceiling, Aggregation aggregate = nullptr);

}  // namespace ventral::neural_fit
