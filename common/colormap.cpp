#include "common/colormap.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"

namespace ventral {

std::array<std::uint8_t, 3> viridis(double t) {
  t = std::clamp(t, 0.0, 1.0);
  static const double c[7][3] = {{0.2777273272234177, 0.005407344544966578, 0.3340998053353061},
                                 {0.1050930431085774, 1.404613529898575, 1.384590162594685},
                                 {-0.3308618287255563, 0.214847559468213, 0.09509516302823659},
                                 {-4.634230498983486, -5.799100973351585, -19.33244095627987},
                                 {6.228269936347081, 14.17993336680509, 56.69055260068105},
                                 {4.776384997670288, -13.74514537774601, -65.35303263337234},
                                 {-5.435455855934631, 4.645852612178535, 26.3124352495832}};
  std::array<std::uint8_t, 3> rgb{};
  for (int k = 0; k < 3; ++k) {
    double v = c[6][k];
    for (int i = 5; i >= 0; --i) v = c[i][k] + t * v;
    rgb[k] = static_cast<std::uint8_t>(std::lround(std::clamp(v, 0.0, 1.0) * 255.0));
  }
  return rgb;
}

Image render_montage(const std::vector<std::vector<MapTile>>& grid, const MontageOptions& options) {
  if (grid.empty() || grid[0].empty()) fail("montage: nothing to draw");
  float low = std::numeric_limits<float>::infinity();
  float high = -low;
  for (const auto& row : grid) {
    for (const auto& tile : row) {
      for (float v : tile.values) {
        low = std::min(low, v);
        high = std::max(high, v);
      }
    }
  }
  double range = high > low ? high - low : 1.0;
  int rows = static_cast<int>(grid.size());
  int cols = 0;
  for (const auto& row : grid) cols = std::max(cols, static_cast<int>(row.size()));
  const int tile = options.tile_px, gap = options.gap_px;
  Image image;
  image.channels = 3;
  image.height = rows * tile + (rows + 1) * gap;
  image.width = cols * tile + (cols + 1) * gap;
  image.pixels.assign(static_cast<std::size_t>(image.height) * image.width * 3, 255);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < static_cast<int>(grid[r].size()); ++c) {
      const MapTile& map = grid[r][c];
      if (map.height <= 0 || map.width <= 0) continue;
      // Keep the aspect ratio: the longer side fills the tile.
      double scale = static_cast<double>(tile) / std::max(map.height, map.width);
      int draw_h = std::max(1, static_cast<int>(map.height * scale));
      int draw_w = std::max(1, static_cast<int>(map.width * scale));
      int top = gap + r * (tile + gap), left = gap + c * (tile + gap);
      for (int y = 0; y < draw_h; ++y) {
        int sy = std::min(map.height - 1, static_cast<int>(y / scale));
        for (int x = 0; x < draw_w; ++x) {
          int sx = std::min(map.width - 1, static_cast<int>(x / scale));
          auto rgb = viridis((map.values[static_cast<std::size_t>(sy) * map.width + sx] - low) / range);
          std::uint8_t* p = image.pixels.data() +
                            (static_cast<std::size_t>(top + y) * image.width + left + x) * 3;
          p[0] = rgb[0];
          p[1] = rgb[1];
          p[2] = rgb[2];
        }
      }
    }
  }
  return image;
}

}  // namespace ventral
