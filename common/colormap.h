// Colour maps and montages for looking at feature maps (`ventral show`).
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "common/image_io.h"

namespace ventral {

/// Viridis at t in [0, 1] (clamped), as 8-bit RGB. A degree-6 polynomial fit of
/// matplotlib's table, accurate to about 1/255.
std::array<std::uint8_t, 3> viridis(double t);

/// One feature map: `height` x `width` floats, row-major.
struct MapTile {
  int height = 0;
  int width = 0;
  std::vector<float> values;
};

struct MontageOptions {
  int tile_px = 128;  ///< each map is drawn into a square of this size (nearest neighbour)
  int gap_px = 4;     ///< white space between tiles
};

/// Draws `grid[row][col]` as a montage, all tiles on one colour scale (the global
/// min..max), so that bands and orientations can be compared by eye.
Image render_montage(const std::vector<std::vector<MapTile>>& grid, const MontageOptions& options = {});

}  // namespace ventral
