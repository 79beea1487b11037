// The image pyramid of the trainable HMAX family: quarter-octave steps, as in the
// Serre lab's HMAX_from_Alexnet (get_ip_scales): level i has side ceil(base / 2^(i/4)),
// i = -1, 0, 1, ..., so level 0 is the input itself and level -1 is one step larger.
#pragma once

#include <torch/types.h>

#include <vector>

namespace ventral::hmax {

/// Sides of a pyramid with `levels` levels over an input side `base`: for levels >= 2,
/// i runs from -1 to levels - 2; one level is the input alone.
std::vector<int64_t> pyramid_sides(int64_t base, int levels);

/// The pyramid of (N, C, H, W) images: bilinear resizes (align_corners = false, no clamp:
/// inputs are normalised, not in [0, 1]); level 0 is `images` itself, not a copy.
std::vector<torch::Tensor> image_pyramid(const torch::Tensor& images, int levels);

}  // namespace ventral::hmax
