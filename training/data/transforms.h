// Image transforms with torchvision 0.14's semantics on PIL images, as timm's training
// and eval recipes use them:
//   train: RandomResizedCrop(img_size, scale, ratio, BILINEAR) + RandomHorizontalFlip(hflip)
//   eval:  Resize(floor(img_size / crop_pct), BILINEAR) + CenterCrop(img_size)
//   both:  ToTensor + Normalize(mean, std)
// Resizing is Pillow's antialiased bilinear (pil_resize.h), crop geometry is
// torchvision's (crop_geometry.h); only the random number generator differs (it is
// ventral's own, fixed by the sample's seed).
#pragma once

#include <torch/types.h>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "common/image_io.h"
#include "training/data/pil_resize.h"

namespace ventral::data {

struct TransformOptions {
  /// Output size (square); 0 keeps the native size (no resize or crop at all).
  int img_size = 0;
  /// Training augmentation (random-resized-crop if img_size > 0 and random_resized_crop,
  /// then horizontal flip); false: the eval resize + centre crop.
  bool train = false;
  /// Train only: false uses the eval resize + centre crop (then the flip).
  bool random_resized_crop = true;
  /// RandomResizedCrop area fraction range and aspect-ratio (w / h) range.
  double scale_min = 0.08, scale_max = 1.0, ratio_min = 3.0 / 4.0, ratio_max = 4.0 / 3.0;
  /// Probability of a horizontal flip (train only).
  double hflip = 0.5;
  /// Eval: the shorter side is first resized to floor(img_size / crop_pct).
  double crop_pct = 0.875;
  /// Normalisation in [0, 1] units, one value or one per output channel.
  std::vector<float> mean = {0.485f, 0.456f, 0.406f}, std = {0.229f, 0.224f, 0.225f};
  /// Output channels: 1 = PIL luma (ITU-R 601-2, common/image_io to_gray), 3 = RGB (gray
  /// replicated). Converted before any resizing, like Image.convert at load time.
  int channels = 3;
  /// Decode JPEGs at 1/2, 1/4 or 1/8 scale (libjpeg-turbo DCT scaling, like Pillow's
  /// draft()) when the crop is downscaled by at least that factor. Faster on large
  /// photographs, but no longer equal to torchvision's output; off by default.
  bool fast_decode = false;
};

/// Checks the options; throws Error naming the field and the value.
void validate(const TransformOptions& options);

/// The geometry of one sample, drawn from its generator.
struct TransformPlan {
  ResizeRequest resize;  ///< in pixels of the image at full resolution
  bool flip = false;
};

/// Draws the plan for a height x width image in torchvision's order: the crop (train),
/// then the flip. The number of draws does not depend on how the image is stored, so
/// transform_image and transform_encoded produce the same sample for the same generator.
TransformPlan plan_transform(int height, int width, const TransformOptions& options,
                             std::mt19937_64& rng);

/// `image` with options.channels channels (1 <-> 3 converted; other counts: Error).
Image convert_channels(const Image& image, int channels, const std::string& name = "image");

/// Crop, resize and flip in uint8 (no normalisation): what `data pack` stores.
Image transform_image(const Image& image, const TransformOptions& options, std::mt19937_64& rng);

/// transform_image of `image` and of `map` (one channel, same height and width) with one
/// plan: the crop, resize and flip that move the image move its map the same way.
/// Error naming `name` when the sizes differ.
std::pair<Image, Image> transform_image_and_map(const Image& image, const Image& map,
                                                const TransformOptions& options, std::mt19937_64& rng,
                                                const std::string& name = "image");

/// transform_image of an encoded file. JPEGs are decoded only where the plan reads
/// (same pixels as a whole decode), and at reduced scale when options.fast_decode allows.
/// Throws Error naming `name` when the data is not a readable PNG or JPEG.
Image transform_encoded(const std::uint8_t* data, std::size_t size, const std::string& name,
                        const TransformOptions& options, std::mt19937_64& rng);

/// ToTensor + Normalize in float32: out[c][y][x] = (pixel / 255 - mean[c]) / std[c].
/// `out` holds channels * height * width floats.
void normalise_into(const Image& image, const TransformOptions& options, float* out);

/// transform_image then normalise: float32 (C, H, W).
torch::Tensor apply_transform(const Image& image, const TransformOptions& options, std::mt19937_64& rng);

}  // namespace ventral::data
