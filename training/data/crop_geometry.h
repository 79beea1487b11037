// torchvision 0.14's crop and resize geometry, formula for formula:
// RandomResizedCrop.get_params, F.resize with an int (shorter side), CenterCrop offsets
// (with its zero padding), and timm's eval scale size floor(img_size / crop_pct).
#pragma once

#include <random>
#include <utility>

namespace ventral::data {

/// A crop as torchvision writes it: top row i, left column j, height h, width w.
struct CropBox {
  int top = 0, left = 0, height = 0, width = 0;
};

/// Python's round(): nearest integer, halves to even (round(16.5) == 16).
int python_round(double x);

/// RandomResizedCrop.get_params: up to 10 draws of an area fraction uniform in
/// [scale_min, scale_max) and a log-uniform aspect ratio in [ratio_min, ratio_max); the
/// first crop that fits is placed uniformly; otherwise the centre crop of the whole image
/// with its ratio clamped to the range.
CropBox random_resized_crop_box(int height, int width, double scale_min, double scale_max,
                                double ratio_min, double ratio_max, std::mt19937_64& rng);

/// F.resize(img, size) for an int size: the shorter side becomes `size`, the longer
/// int(size * long / short). Returns (height, width).
std::pair<int, int> shorter_side_size(int height, int width, int size);

/// CenterCrop's offset of a `crop` window in a side of `size`: int(round((size - crop) / 2))
/// when it fits, minus the left/top zero padding (crop - size) // 2 when it does not.
int center_crop_offset(int size, int crop);

/// timm's eval resize: floor(img_size / crop_pct).
int eval_resize_size(int img_size, double crop_pct);

}  // namespace ventral::data
