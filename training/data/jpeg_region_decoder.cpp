#include "training/data/jpeg_region_decoder.h"

// jpeglib.h needs FILE and size_t declared first.
#include <jerror.h>
#include <jpeglib.h>
#include <csetjmp>
#include <cstdio>

#include <algorithm>
#include <cstring>

#include "common/error.h"

namespace ventral::data {
namespace {

// libjpeg reports errors through callbacks; these jump back to the decode function with
// the message. Warnings (a truncated file, corrupt entropy data) count as errors, as in
// TurboJPEG's tjDecompress2, which common/image_io uses for whole images.
struct ErrorJump {
  jpeg_error_mgr manager;
  std::jmp_buf jump;
  char message[JMSG_LENGTH_MAX];
};

void on_error(j_common_ptr cinfo) {
  auto* error = reinterpret_cast<ErrorJump*>(cinfo->err);
  (*cinfo->err->format_message)(cinfo, error->message);
  std::longjmp(error->jump, 1);
}

void on_message(j_common_ptr cinfo, int level) {
  if (level < 0) on_error(cinfo);
}

// Decoded rows of the region, filled by decode_rows; plain data so that a longjmp out of
// libjpeg skips no destructor (the vector belongs to the caller's frame).
struct RegionRequest {
  const std::uint8_t* data;
  std::size_t size;
  int denominator;
  PixelRect region;
  bool header_only;
};

struct RegionResult {
  int full_width, full_height;  // at the requested scale
  int x, y, width, height, channels;
  bool cmyk;
  std::vector<std::uint8_t>* pixels;
  std::vector<std::uint8_t>* last_row;  ///< scratch for the check of the file's end
};

bool decode_rows(const RegionRequest& request, RegionResult* result, ErrorJump* error) {
  jpeg_decompress_struct cinfo;
  cinfo.err = jpeg_std_error(&error->manager);
  error->manager.error_exit = on_error;
  error->manager.emit_message = on_message;
  if (setjmp(error->jump)) {
    jpeg_destroy_decompress(&cinfo);
    return false;
  }
  jpeg_create_decompress(&cinfo);
  jpeg_mem_src(&cinfo, request.data, static_cast<unsigned long>(request.size));
  jpeg_read_header(&cinfo, TRUE);
  if (request.header_only) {
    result->full_width = static_cast<int>(cinfo.image_width);
    result->full_height = static_cast<int>(cinfo.image_height);
    jpeg_destroy_decompress(&cinfo);
    return true;
  }
  result->cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
  bool gray = cinfo.jpeg_color_space == JCS_GRAYSCALE;
  cinfo.out_color_space = gray ? JCS_GRAYSCALE : (result->cmyk ? JCS_CMYK : JCS_RGB);
  cinfo.dct_method = JDCT_ISLOW;  // TurboJPEG's TJFLAG_ACCURATEDCT, Pillow's default
  cinfo.scale_num = 1;
  cinfo.scale_denom = static_cast<unsigned>(request.denominator);
  jpeg_start_decompress(&cinfo);
  result->full_width = static_cast<int>(cinfo.output_width);
  result->full_height = static_cast<int>(cinfo.output_height);
  PixelRect want = request.region;
  if (want.width <= 0 || want.height <= 0) want = {0, 0, result->full_width, result->full_height};
  // jpeg_crop_scanline treats the crop's right edge as the image edge when it upsamples
  // chroma, which changes the last column; one extra iMCU on each side keeps every
  // pixel of the region equal to a whole decode.
  const int margin = cinfo.max_h_samp_factor * static_cast<int>(cinfo.min_DCT_scaled_size);
  want.x -= margin;
  want.width += 2 * margin;
  int y0 = std::clamp(want.y, 0, result->full_height);
  int y1 = std::clamp(want.y + want.height, y0, result->full_height);
  JDIMENSION x0 = static_cast<JDIMENSION>(std::clamp(want.x, 0, result->full_width));
  JDIMENSION columns = static_cast<JDIMENSION>(
      std::clamp(want.x + want.width, static_cast<int>(x0), result->full_width) - static_cast<int>(x0));
  if (columns < cinfo.output_width) jpeg_crop_scanline(&cinfo, &x0, &columns);
  result->x = static_cast<int>(x0);
  result->width = static_cast<int>(columns);
  result->y = y0;
  result->height = y1 - y0;
  result->channels = cinfo.output_components;
  result->pixels->resize(static_cast<std::size_t>(result->width) * result->height * result->channels);
  if (y0 > 0) jpeg_skip_scanlines(&cinfo, static_cast<JDIMENSION>(y0));
  // Up to 16 rows per call (an iMCU row of 4:2:0), as TurboJPEG does.
  JSAMPROW rows[16];
  for (int y = 0; y < result->height;) {
    int n = std::min(16, result->height - y);
    for (int k = 0; k < n; ++k) {
      rows[k] = result->pixels->data() +
                static_cast<std::size_t>(y + k) * result->width * result->channels;
    }
    JDIMENSION got = jpeg_read_scanlines(&cinfo, rows, static_cast<JDIMENSION>(n));
    if (got == 0) ERREXIT(&cinfo, JERR_INPUT_EMPTY);  // only a suspending source returns 0
    y += static_cast<int>(got);
  }
  // Skipping to the very end would decode nothing, so skip to the last row (entropy
  // decoding only) and read it: damage below the region is still reported.
  if (cinfo.output_scanline < cinfo.output_height) {
    JDIMENSION remaining = cinfo.output_height - cinfo.output_scanline;
    if (remaining > 1) jpeg_skip_scanlines(&cinfo, remaining - 1);
    result->last_row->resize(static_cast<std::size_t>(result->width) * result->channels);
    JSAMPROW row = result->last_row->data();
    jpeg_read_scanlines(&cinfo, &row, 1);
  }
  jpeg_finish_decompress(&cinfo);
  jpeg_destroy_decompress(&cinfo);
  return true;
}

RegionResult run(const RegionRequest& request, const std::string& name,
                 std::vector<std::uint8_t>* pixels) {
  if (request.size == 0) fail("{}: empty file, expected a PNG or JPEG image", name);
  RegionResult result{};
  std::vector<std::uint8_t> last_row;
  result.pixels = pixels;
  result.last_row = &last_row;
  ErrorJump error{};
  if (!decode_rows(request, &result, &error)) {
    fail("{}: corrupt or truncated JPEG ({})", name, error.message);
  }
  return result;
}

}  // namespace

JpegSize read_jpeg_size(const std::uint8_t* data, std::size_t size, const std::string& name) {
  RegionRequest request{data, size, 1, {}, true};
  auto result = run(request, name, nullptr);
  if (result.full_width <= 0 || result.full_height <= 0) {
    fail("{}: image has zero size ({}x{})", name, result.full_width, result.full_height);
  }
  return {result.full_width, result.full_height};
}

JpegSize scaled_jpeg_size(JpegSize full, int denominator) {
  return {(full.width + denominator - 1) / denominator, (full.height + denominator - 1) / denominator};
}

DecodedRegion decode_jpeg_region(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 int denominator, PixelRect region) {
  if (denominator != 1 && denominator != 2 && denominator != 4 && denominator != 8) {
    fail("{}: JPEG scale 1/{} is not one of 1/1, 1/2, 1/4, 1/8", name, denominator);
  }
  DecodedRegion decoded;
  std::vector<std::uint8_t> pixels;
  RegionRequest request{data, size, denominator, region, false};
  auto result = run(request, name, &pixels);
  // Drop the margin columns: only the requested ones are guaranteed exact.
  int x0 = std::clamp(region.x, result.x, result.x + result.width);
  int x1 = std::clamp(region.x + region.width, x0, result.x + result.width);
  if (region.width <= 0 || region.height <= 0) x0 = result.x, x1 = result.x + result.width;
  if (x1 - x0 < result.width) {
    const std::size_t in_row = static_cast<std::size_t>(result.width) * result.channels;
    const std::size_t out_row = static_cast<std::size_t>(x1 - x0) * result.channels;
    const std::size_t offset = static_cast<std::size_t>(x0 - result.x) * result.channels;
    for (int y = 0; y < result.height; ++y) {
      std::memmove(pixels.data() + y * out_row, pixels.data() + y * in_row + offset, out_row);
    }
    pixels.resize(out_row * result.height);
    result.x = x0;
    result.width = x1 - x0;
  }
  decoded.origin_x = result.x;
  decoded.origin_y = result.y;
  Image& image = decoded.image;
  image.width = result.width;
  image.height = result.height;
  if (!result.cmyk) {
    image.channels = result.channels;
    image.pixels = std::move(pixels);
    return decoded;
  }
  // Adobe CMYK JPEGs store inverted ink values, so the product is already the RGB level.
  image.channels = 3;
  std::size_t n = static_cast<std::size_t>(image.width) * image.height;
  image.pixels.resize(n * 3);
  for (std::size_t i = 0; i < n; ++i) {
    int k = pixels[4 * i + 3];
    for (int c = 0; c < 3; ++c) {
      image.pixels[3 * i + c] = static_cast<std::uint8_t>(pixels[4 * i + c] * k / 255);
    }
  }
  return decoded;
}

}  // namespace ventral::data
