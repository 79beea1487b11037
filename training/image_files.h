// Turning image files into model input: listing image folders, decoding, converting to
// the channels a model expects, and packing equal-sized images into batches.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

#include "common/image_io.h"

namespace ventral::training {

/// Image files named on the command line plus every PNG/JPEG in `folder` (sorted by
/// name; empty folder string: none). Throws Error when nothing is found or a file is missing.
std::vector<std::string> collect_image_paths(const std::vector<std::string>& files,
                                             const std::string& folder);

/// File name without folder and extension: the stimulus_id of a features file.
std::string file_stem(const std::string& path);

/// Decoded image as a (C, H, W) float tensor of 0..255 values with `channels` channels
/// (1: PIL luma; 3: RGB, gray replicated). `size` > 0 resizes to size x size
/// with Pillow's antialiased bilinear filter (after the gray conversion, as
/// `Image.convert("L").resize(...)`), the resampler of the training transforms.
torch::Tensor image_tensor(const Image& image, int channels, int size = 0);

/// Reads and converts one file (see image_tensor).
torch::Tensor load_image_tensor(const std::string& path, int channels, int size = 0);

}  // namespace ventral::training
