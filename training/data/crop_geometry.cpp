#include "training/data/crop_geometry.h"

#include <algorithm>
#include <cfenv>
#include <cmath>

#include "common/error.h"
#include "training/data/sample_random.h"

namespace ventral::data {

int python_round(double x) {
  // std::nearbyint rounds halves to even in the default rounding mode, like Python 3.
  return static_cast<int>(std::nearbyint(x));
}

CropBox random_resized_crop_box(int height, int width, double scale_min, double scale_max,
                                double ratio_min, double ratio_max, std::mt19937_64& rng) {
  const double area = static_cast<double>(height) * width;
  const double log_ratio_min = std::log(ratio_min), log_ratio_max = std::log(ratio_max);
  for (int attempt = 0; attempt < 10; ++attempt) {
    double target_area = area * uniform(rng, scale_min, scale_max);
    double aspect_ratio = std::exp(uniform(rng, log_ratio_min, log_ratio_max));
    int w = python_round(std::sqrt(target_area * aspect_ratio));
    int h = python_round(std::sqrt(target_area / aspect_ratio));
    if (0 < w && w <= width && 0 < h && h <= height) {
      int top = static_cast<int>(uniform_below(rng, static_cast<std::uint64_t>(height - h + 1)));
      int left = static_cast<int>(uniform_below(rng, static_cast<std::uint64_t>(width - w + 1)));
      return {top, left, h, w};
    }
  }
  double in_ratio = static_cast<double>(width) / height;
  int w = width, h = height;
  if (in_ratio < std::min(ratio_min, ratio_max)) {
    h = python_round(w / std::min(ratio_min, ratio_max));
  } else if (in_ratio > std::max(ratio_min, ratio_max)) {
    w = python_round(h * std::max(ratio_min, ratio_max));
  }
  return {(height - h) / 2, (width - w) / 2, h, w};
}

std::pair<int, int> shorter_side_size(int height, int width, int size) {
  if (width <= height) {
    return {static_cast<int>(static_cast<double>(size) * height / width), size};
  }
  return {size, static_cast<int>(static_cast<double>(size) * width / height)};
}

int center_crop_offset(int size, int crop) {
  if (crop > size) return -((crop - size) / 2);
  return python_round((size - crop) / 2.0);
}

int eval_resize_size(int img_size, double crop_pct) {
  if (!(crop_pct > 0.0)) fail("crop_pct: expected a positive fraction, got {}", crop_pct);
  return static_cast<int>(std::floor(img_size / crop_pct));
}

}  // namespace ventral::data
