// Decoding only part of a JPEG, optionally at a reduced DCT scale, with libjpeg-turbo's
// jpeg_crop_scanline / jpeg_skip_scanlines and scale_denom (what Pillow's draft() does).
// At full scale the pixels of the region equal a whole-image decode (same libjpeg-turbo,
// accurate integer IDCT, fancy upsampling): only the work outside the region is saved.
#pragma once

#include <cstdint>
#include <string>

#include "common/image_io.h"
#include "training/data/pil_resize.h"

namespace ventral::data {

/// Image size from a JPEG header. Throws Error naming `name` when the header is corrupt.
struct JpegSize {
  int width = 0, height = 0;
};
JpegSize read_jpeg_size(const std::uint8_t* data, std::size_t size, const std::string& name);

/// Size of the image decoded at 1/denominator: ceil(size / denominator).
JpegSize scaled_jpeg_size(JpegSize full, int denominator);

/// The pixels of `region` (clamped to the image) of the image decoded at 1/denominator
/// (1, 2, 4 or 8); `origin` is the region's top-left corner. An empty region decodes
/// the whole image. Gray stays gray; CMYK/YCCK become RGB
/// like common/image_io. The rest of the file is still entropy-decoded, so truncated or
/// corrupt data is reported (Error naming `name`) exactly as a whole-image decode would.
struct DecodedRegion {
  Image image;
  int origin_x = 0, origin_y = 0;
};
DecodedRegion decode_jpeg_region(const std::uint8_t* data, std::size_t size, const std::string& name,
                                 int denominator, PixelRect region);

}  // namespace ventral::data
