// The human map of the ClickMe alignment score (docs/reference/scoring.md sec. 1.1): the
// released 256 x 256 heatmap -> bilinear 64 x 64 -> the 10 x 10, sigma-10 Gaussian with
// TensorFlow's SAME padding (4 before, 5 after) -> bilinear 224 x 224. Bilinear here is
// tf.image.resize's: half-pixel centres, no antialiasing (LibTorch's interpolate with
// align_corners=false). float32 throughout, as TensorFlow computes it.
#pragma once

#include <array>
#include <vector>

namespace ventral::alignment {

/// Side of the maps that are ranked (the harmonization models' input size).
constexpr int kScoreSide = 224;
/// Side the human map is blurred at.
constexpr int kBlurSide = 64;
/// The blur kernel's taps per axis.
constexpr int kBlurTaps = 10;

/// Bilinear resize of a row-major h x w map to out_h x out_w, half-pixel centres, no
/// antialias (tf.image.resize "bilinear").
std::vector<float> resize_bilinear(const float* in, int h, int w, int out_h, int out_w);

/// The normalised 10 x 10 kernel K[r][c] of blur.py: x = c - 5, y = 4 - r,
/// exp(-(x^2 + y^2) / (2 sigma^2)), divided by its sum (row-major).
std::array<float, kBlurTaps * kBlurTaps> clickme_blur_kernel(float sigma = 10.0f);

/// tf.nn.conv2d(map, K, strides 1, padding SAME) of an h x w map: zeros outside, 4 taps
/// before and 5 after each pixel.
std::vector<float> clickme_blur(const float* in, int h, int w);

/// The whole pipeline: an h x w heatmap (256 x 256 as released) -> 224 x 224.
std::vector<float> clickme_human_map(const float* heatmap, int h, int w);

/// The harmonization training heatmap (scoring.md sec. 2.3): h x w -> 64 x 64 -> the same
/// blur -> out_h x out_w, then min-max scaled to [0, 1] (all zeros for a constant map).
/// The recipe resizes bicubically; this uses the score's bilinear resize, so the map
/// trained towards is the map scored against.
std::vector<float> clickme_training_map(const float* heatmap, int h, int w, int out_h, int out_w);

}  // namespace ventral::alignment
