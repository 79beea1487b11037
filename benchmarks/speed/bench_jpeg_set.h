// A set of ImageNet-like JPEG files for the input-pipeline benchmark, made at run time
// from the reference photographs (data/hmax_reference/images): sizes of typical
// ImageNet photos (500 x 375, 375 x 500, 500 x 333, ...), colour made of three different
// gray photographs as the R, G and B planes, quality 90, 4:2:0 (libjpeg-turbo).
#pragma once

#include <turbojpeg.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <fmt/core.h>

#include "common/image_io.h"
#include "training/data/pil_resize.h"

namespace ventral::bench {

inline std::vector<std::string> write_jpeg_set(const std::string& folder, int count) {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(std::string(VENTRAL_SOURCE_DIR) +
                                                               "/data/hmax_reference/images")) {
    if (has_image_extension(entry.path().string())) paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());  // the same set on every run
  std::vector<Image> photos;
  for (const auto& path : paths) photos.push_back(to_gray(read_image(path)));
  const int sizes[][2] = {{500, 375}, {375, 500}, {500, 333}, {500, 400},
                          {333, 500}, {500, 375}, {450, 300}};
  std::mt19937_64 rng(2024);
  tjhandle handle = tjInitCompress();
  std::vector<std::string> files;
  for (int k = 0; k < count; ++k) {
    int width = sizes[k % 7][0], height = sizes[k % 7][1];
    Image rgb{height, width, 3, std::vector<std::uint8_t>(static_cast<std::size_t>(width) * height * 3)};
    for (int c = 0; c < 3; ++c) {
      const Image& photo = photos[rng() % photos.size()];
      // Scale the photo to cover the target by a random factor 1..1.5, then a random crop.
      double scale = std::max(double(width) / photo.width, double(height) / photo.height) *
                     (1.0 + (rng() % 50) / 100.0);
      int sw = std::max(width, int(photo.width * scale)),
          sh = std::max(height, int(photo.height * scale));
      Image scaled = data::pil_resize(photo, sw, sh);
      int x0 = static_cast<int>(rng() % (sw - width + 1)),
          y0 = static_cast<int>(rng() % (sh - height + 1));
      for (int y = 0; y < height; ++y) {
        for (int x = 0; x < width; ++x)
          rgb.pixels[(y * width + x) * 3 + c] = scaled.pixels[(y + y0) * sw + x + x0];
      }
    }
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    tjCompress2(handle, rgb.pixels.data(), width, 0, height, TJPF_RGB, &buffer, &size, TJSAMP_420, 90,
                0);
    std::string path = fmt::format("{}/img_{:04d}.jpg", folder, k);
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char*>(buffer), static_cast<std::streamsize>(size));
    tjFree(buffer);
    files.push_back(path);
  }
  tjDestroy(handle);
  return files;
}

}  // namespace ventral::bench
