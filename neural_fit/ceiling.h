// Internal-consistency ceiling, as Brain-Score's split-half over repetitions
// (docs/reference/scoring.md sec. 4.3): the unique repetition values are shuffled and
// split in halves (floor(R/2) and the rest); each half is averaged per stimulus; Pearson
// r per neuroid across the stimuli present in both halves; Spearman-Brown 2r/(1+r);
// median over neuroids; mean over splits.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "neural_fit/neural_assembly.h"

namespace ventral::neural_fit {

struct CeilingOptions {
  int n_splits = 10;       ///< split-halves (Brain-Score: 10)
  std::uint64_t seed = 0;  ///< generator seed
};

struct CeilingResult {
  bool available = false;  ///< false with fewer than two repetitions
  std::string reason;      ///< why not available
  double value = 0;        ///< mean over splits (NaN when not available)
  double sem = 0;
  std::vector<double> per_split;
  Matrix per_neuroid;  ///< splits x neuroids, Spearman-Brown corrected
};

/// Split-half ceiling of `trials` (n_stimuli stimuli).
CeilingResult split_half_ceiling(const Trials& trials, Index n_stimuli, const CeilingOptions& options);

/// Mean per stimulus of the presentations whose repetition is in `half` (a set of
/// repetition values); rows of stimuli without such presentations are NaN.
Matrix half_average(const Trials& trials, Index n_stimuli, const std::vector<Index>& half);

}  // namespace ventral::neural_fit
