// The secondary ClickMe numbers (docs/reference/scoring.md sec. 1.3): each map binarised
// at its 90th percentile (x > np.percentile(x, 90), numpy's linear interpolation), then
// Dice = 2|A n B| / (|A| + |B| + 1e-9) and IoU = |A n B| / (|A u B| + 1e-9).
#pragma once

#include <cstddef>

namespace ventral::alignment {

/// np.percentile(values, q) with the default linear interpolation, for float32 input
/// (the difference of the two neighbours is taken in float32, as numpy does).
double percentile_linear(const float* values, std::size_t n, double q);

struct TopOverlap {
  double dice = 0;
  double iou = 0;
};

/// Dice and IoU of the pixels above the 90th percentile of `a` and of `b` (n each); both
/// NaN when a value is NaN or infinite.
TopOverlap top_overlap(const float* a, const float* b, std::size_t n, double percentile = 90.0);

}  // namespace ventral::alignment
