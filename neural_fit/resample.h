// Resampling of model feature maps onto a recording grid (IT-patch protocol,
// docs/reference/scoring.md sec. 6.3): per axis, area average over bins [floor(i n/g), floor((i+1) n/g))
// when the map is larger than the grid, bilinear interpolation with half-pixel centres
// (TensorFlow's resize, no antialiasing) when smaller, identity when equal.
#pragma once

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// Weights (out x in) that resample one axis of length `in` to `out` positions.
Matrix axis_resample_weights(Index in, Index out);

/// Resamples a C x H x W map (C order) to g x g; returns (g*g) x C, grid positions in
/// row-major order (row y, column x).
Matrix resample_to_grid(const float* map, Index channels, Index height, Index width, Index grid);

}  // namespace ventral::neural_fit
