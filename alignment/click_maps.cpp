#include "alignment/click_maps.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace ventral::alignment {

namespace {

int odd_size(int size) { return size % 2 == 0 ? size + 1 : size; }

// Half-width of the disk's row at vertical offset dy from the centre (radius r, centre c = r):
// the x offsets with dx^2 + dy^2 <= r^2. Integer when size is odd.
int row_half_width(double radius, int dy) {
  const double rest = radius * radius - static_cast<double>(dy) * dy;
  return rest < 0 ? -1 : static_cast<int>(std::floor(std::sqrt(rest) + 1e-9));
}

// torchvision's center_crop offset: int(round((size - crop) / 2.0)), round half to even.
int crop_offset(int size, int crop) { return static_cast<int>(std::nearbyint((size - crop) / 2.0)); }

}  // namespace

std::vector<float> disk_kernel(int size) {
  size = odd_size(size);
  if (size < 1) fail("blur size {} invalid, expected a positive disk diameter", size);
  const int r = (size - 1) / 2;
  std::vector<float> kernel(static_cast<std::size_t>(size) * size, 0.0f);
  int count = 0;
  for (int dy = -r; dy <= r; ++dy) {
    const int half = row_half_width(r, dy);
    for (int dx = -half; dx <= half; ++dx) {
      kernel[static_cast<std::size_t>(dy + r) * size + (dx + r)] = 1.0f;
      ++count;
    }
  }
  for (auto& k : kernel) k /= static_cast<float>(count);
  return kernel;
}

namespace {

// Row half-widths of the disk of diameter `size` (odd) and its pixel count.
std::vector<int> disk_rows(int size, int* count) {
  const int r = (size - 1) / 2;
  std::vector<int> half(static_cast<std::size_t>(2 * r + 1));
  *count = 0;
  for (int dy = -r; dy <= r; ++dy) {
    half[static_cast<std::size_t>(dy + r)] = row_half_width(r, dy);
    *count += 2 * half[static_cast<std::size_t>(dy + r)] + 1;
  }
  return half;
}

// The same convolution for a sparse map (click counts): a disk stamped at every non-zero
// pixel, clipped to the canvas; O(clicks x disk) instead of O(pixels x r).
std::vector<float> disk_blur_sparse(const std::vector<float>& map, int height, int width, int size) {
  int count = 0;
  const auto half = disk_rows(size, &count);
  const int r = (size - 1) / 2;
  std::vector<double> sum(map.size(), 0.0);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const double v = map[static_cast<std::size_t>(y) * width + x];
      if (v == 0) continue;
      for (int dy = std::max(-r, -y); dy <= std::min(r, height - 1 - y); ++dy) {
        const int h = half[static_cast<std::size_t>(dy + r)];
        double* row = &sum[static_cast<std::size_t>(y + dy) * width];
        for (int xx = std::max(0, x - h); xx <= std::min(width - 1, x + h); ++xx) row[xx] += v;
      }
    }
  }
  std::vector<float> out(map.size());
  for (std::size_t k = 0; k < out.size(); ++k) out[k] = static_cast<float>(sum[k] / count);
  return out;
}

}  // namespace

std::vector<float> disk_blur(const std::vector<float>& map, int height, int width, int size) {
  size = odd_size(size);
  const int r = (size - 1) / 2;
  int count = 0;
  const auto half = disk_rows(size, &count);
  // prefix[y][x] = sum of map[y][0..x), in double so that long rows lose nothing
  const std::size_t stride = static_cast<std::size_t>(width) + 1;
  std::vector<double> prefix(static_cast<std::size_t>(height) * stride, 0.0);
  for (int y = 0; y < height; ++y) {
    double sum = 0;
    for (int x = 0; x < width; ++x) {
      sum += map[static_cast<std::size_t>(y) * width + x];
      prefix[y * stride + x + 1] = sum;
    }
  }
  std::vector<float> out(map.size());
  std::vector<double> acc(static_cast<std::size_t>(width));
  const double scale = 1.0 / count;
  for (int y = 0; y < height; ++y) {
    std::fill(acc.begin(), acc.end(), 0.0);
    for (int dy = std::max(-r, -y); dy <= std::min(r, height - 1 - y); ++dy) {
      const int h = half[static_cast<std::size_t>(dy + r)];
      const double* row = &prefix[static_cast<std::size_t>(y + dy) * stride];
      // one run per output pixel, [x - h, x + h] clipped; the unclipped middle is a plain
      // vector loop
      const int lo_end = std::min(width, h), hi_begin = std::max(lo_end, width - h - 1);
      for (int x = 0; x < lo_end; ++x) acc[x] += row[std::min(width, x + h + 1)] - row[0];
      for (int x = lo_end; x < hi_begin; ++x) acc[x] += row[x + h + 1] - row[x - h];
      for (int x = hi_begin; x < width; ++x) acc[x] += row[width] - row[std::max(0, x - h)];
    }
    for (int x = 0; x < width; ++x)
      out[static_cast<std::size_t>(y) * width + x] = static_cast<float>(acc[x] * scale);
  }
  return out;
}

std::vector<float> click_counts(const std::vector<const ClickTrial*>& trials,
                                const ClickMapOptions& options) {
  const int h = options.canvas_height, w = options.canvas_width;
  std::vector<float> counts(static_cast<std::size_t>(h) * w, 0.0f);
  std::vector<int> trial(counts.size(), 0);
  for (const ClickTrial* t : trials) {
    for (const auto& click : t->clicks) {
      if (click.x < 0 || click.y < 0 || click.x >= w || click.y >= h)
        fail("click ({}, {}) outside the {}x{} canvas", click.x, click.y, w, h);
      int& n = trial[static_cast<std::size_t>(click.y) * w + click.x];
      if (n < 255) ++n;
    }
    for (const auto& click : t->clicks) {
      const std::size_t k = static_cast<std::size_t>(click.y) * w + click.x;
      counts[k] += static_cast<float>(trial[k]);
      trial[k] = 0;  // each pixel added once, then cleared for the next trial
    }
  }
  return counts;
}

int click_map_height(const ClickMapOptions& options) {
  return options.crop > 0 ? options.crop : options.canvas_height;
}

int click_map_width(const ClickMapOptions& options) {
  return options.crop > 0 ? options.crop : options.canvas_width;
}

std::vector<float> click_map(const std::vector<const ClickTrial*>& trials,
                             const ClickMapOptions& options) {
  const int h = options.canvas_height, w = options.canvas_width;
  if (options.crop > std::min(h, w)) fail("crop {} is larger than the {}x{} canvas", options.crop, w, h);
  const auto blurred = disk_blur(disk_blur_sparse(click_counts(trials, options), h, w,
                                                  odd_size(options.blur_size)),
                                 h, w, options.blur_size);
  if (options.crop <= 0) return blurred;
  const int c = options.crop, top = crop_offset(h, c), left = crop_offset(w, c);
  std::vector<float> cropped(static_cast<std::size_t>(c) * c);
  for (int y = 0; y < c; ++y) {
    std::copy_n(&blurred[static_cast<std::size_t>(y + top) * w + left], c,
                &cropped[static_cast<std::size_t>(y) * c]);
  }
  return cropped;
}

}  // namespace ventral::alignment
