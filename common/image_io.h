// Image decoding and encoding at the edges of ventral: PNG (libpng) and JPEG
// (libjpeg-turbo), detected by content rather than by file name.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ventral {

/// An 8-bit image, rows of interleaved channels (1 = gray, 3 = RGB).
struct Image {
  int height = 0;
  int width = 0;
  int channels = 0;
  std::vector<std::uint8_t> pixels;  ///< height * width * channels bytes
};

enum class ImageFormat { png, jpeg, unknown };

/// Format from the first bytes of a buffer.
ImageFormat sniff_image_format(const std::uint8_t* data, std::size_t size);

/// Decodes a PNG or JPEG file to gray or RGB (CMYK and palette images become RGB,
/// 16-bit PNG is reduced to 8 bits, alpha is dropped). Throws Error naming the file
/// when it is missing, not an image, truncated or empty.
Image read_image(const std::string& path);

/// Decodes an in-memory PNG or JPEG; `name` is used in messages.
Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name);

/// ITU-R 601-2 luma with PIL's integer arithmetic: (19595 R + 38470 G + 7471 B + 32768) >> 16.
Image to_gray(const Image& image);

/// Encodes gray or RGB as PNG and writes it atomically.
void write_png(const std::string& path, const Image& image);

/// True for names ending in .png/.jpg/.jpeg (any case): used to pick files from a folder.
bool has_image_extension(const std::string& path);

}  // namespace ventral
