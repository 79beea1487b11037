#include "hmax/scale_pyramid.h"

#include <torch/nn/functional/upsampling.h>

#include <cmath>

namespace ventral::hmax {

std::vector<int64_t> pyramid_sides(int64_t base, int levels) {
  std::vector<int64_t> sides;
  const int first = levels >= 2 ? -1 : 0;
  for (int i = first; i < first + levels; ++i) {
    sides.push_back(static_cast<int64_t>(std::ceil(static_cast<double>(base) / std::pow(2.0, i / 4.0))));
  }
  return sides;
}

std::vector<torch::Tensor> image_pyramid(const torch::Tensor& images, int levels) {
  namespace F = torch::nn::functional;
  const auto heights = pyramid_sides(images.size(2), levels);
  const auto widths = pyramid_sides(images.size(3), levels);
  std::vector<torch::Tensor> pyramid;
  for (std::size_t i = 0; i < heights.size(); ++i) {
    if (heights[i] == images.size(2) && widths[i] == images.size(3)) {
      pyramid.push_back(images);
      continue;
    }
    pyramid.push_back(F::interpolate(images, F::InterpolateFuncOptions()
                                                 .size(std::vector<int64_t>{heights[i], widths[i]})
                                                 .mode(torch::kBilinear)
                                                 .align_corners(false)));
  }
  return pyramid;
}

}  // namespace ventral::hmax
