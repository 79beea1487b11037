#include "common/image_io.h"

#include <png.h>
#include <turbojpeg.h>

#include <algorithm>
#include <cctype>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iterator>

#include "common/atomic_output.h"
#include "common/error.h"

namespace ventral {
namespace {

std::vector<std::uint8_t> read_file_bytes(const std::string& path) {
  std::ifstream stream(path, std::ios::binary);
  if (!stream) fail("{}: cannot open image (missing or unreadable)", path);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(stream), {});
}

// libpng reports errors by longjmp; this state is all plain data so that the jump
// skips no destructor.
struct PngSource {
  const std::uint8_t* data;
  std::size_t size;
  std::size_t offset;
  char message[256];
};

void png_read_from_memory(png_structp png, png_bytep out, png_size_t count) {
  auto* source = static_cast<PngSource*>(png_get_io_ptr(png));
  if (source->offset + count > source->size) png_error(png, "file is truncated");
  std::memcpy(out, source->data + source->offset, count);
  source->offset += count;
}

void png_on_error(png_structp png, png_const_charp message) {
  auto* source = static_cast<PngSource*>(png_get_error_ptr(png));
  std::snprintf(source->message, sizeof(source->message), "%s", message);
  png_longjmp(png, 1);
}

void png_on_warning(png_structp, png_const_charp) {}

// Returns false with source->message set on failure. `pixels` is sized before decoding
// rows, so no allocation happens after a possible longjmp.
bool decode_png_rows(PngSource* source, Image* image) {
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, source, png_on_error, png_on_warning);
  png_infop info = png_create_info_struct(png);
  std::vector<png_bytep>* rows = nullptr;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    delete rows;
    return false;
  }
  png_set_read_fn(png, source, png_read_from_memory);
  png_read_info(png, info);
  png_uint_32 width = png_get_image_width(png, info);
  png_uint_32 height = png_get_image_height(png, info);
  int color_type = png_get_color_type(png, info);
  png_set_strip_16(png);
  png_set_packing(png);
  if (color_type == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(png);
  if (color_type == PNG_COLOR_TYPE_GRAY) png_set_expand_gray_1_2_4_to_8(png);
  if (png_get_valid(png, info, PNG_INFO_tRNS)) png_set_tRNS_to_alpha(png);
  png_set_strip_alpha(png);
  png_read_update_info(png, info);
  int channels = png_get_channels(png, info);
  image->height = static_cast<int>(height);
  image->width = static_cast<int>(width);
  image->channels = channels;
  image->pixels.assign(static_cast<std::size_t>(height) * width * channels, 0);
  rows = new std::vector<png_bytep>(height);
  for (png_uint_32 r = 0; r < height; ++r) {
    (*rows)[r] = image->pixels.data() + static_cast<std::size_t>(r) * width * channels;
  }
  png_read_image(png, rows->data());
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  delete rows;
  return true;
}

Image decode_png(const std::uint8_t* data, std::size_t size, const std::string& name) {
  PngSource source{data, size, 0, {0}};
  Image image;
  if (!decode_png_rows(&source, &image)) {
    image.pixels.clear();
    fail("{}: corrupt PNG ({})", name, source.message);
  }
  return image;
}

Image decode_jpeg(const std::uint8_t* data, std::size_t size, const std::string& name) {
  tjhandle handle = tjInitDecompress();
  if (!handle) throw std::runtime_error("libjpeg-turbo: cannot create a decompressor");
  struct Closer {
    tjhandle h;
    ~Closer() { tjDestroy(h); }
  } closer{handle};
  int width = 0, height = 0, subsampling = 0, colorspace = 0;
  if (tjDecompressHeader3(handle, data, static_cast<unsigned long>(size), &width, &height, &subsampling,
                          &colorspace) != 0) {
    fail("{}: corrupt JPEG ({})", name, tjGetErrorStr2(handle));
  }
  Image image;
  image.width = width;
  image.height = height;
  bool cmyk = colorspace == TJCS_CMYK || colorspace == TJCS_YCCK;
  bool gray = colorspace == TJCS_GRAY;
  int pixel_format = gray ? TJPF_GRAY : (cmyk ? TJPF_CMYK : TJPF_RGB);
  int decoded_channels = tjPixelSize[pixel_format];
  std::vector<std::uint8_t> decoded(static_cast<std::size_t>(width) * height * decoded_channels);
  // A truncated stream decodes with a warning; ventral treats it as corrupt.
  if (tjDecompress2(handle, data, static_cast<unsigned long>(size), decoded.data(), width, 0, height,
                    pixel_format, TJFLAG_ACCURATEDCT) != 0) {
    fail("{}: corrupt or truncated JPEG ({})", name, tjGetErrorStr2(handle));
  }
  if (!cmyk) {
    image.channels = decoded_channels;
    image.pixels = std::move(decoded);
    return image;
  }
  // Adobe CMYK JPEGs store inverted ink values, so the product is already the RGB level.
  image.channels = 3;
  image.pixels.resize(static_cast<std::size_t>(width) * height * 3);
  for (std::size_t i = 0, n = static_cast<std::size_t>(width) * height; i < n; ++i) {
    int k = decoded[4 * i + 3];
    for (int c = 0; c < 3; ++c)
      image.pixels[3 * i + c] = static_cast<std::uint8_t>(decoded[4 * i + c] * k / 255);
  }
  return image;
}

}  // namespace

ImageFormat sniff_image_format(const std::uint8_t* data, std::size_t size) {
  static const std::uint8_t png_signature[8] = {0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A};
  if (size >= 8 && std::memcmp(data, png_signature, 8) == 0) return ImageFormat::png;
  if (size >= 3 && data[0] == 0xFF && data[1] == 0xD8 && data[2] == 0xFF) return ImageFormat::jpeg;
  return ImageFormat::unknown;
}

Image decode_image(const std::uint8_t* data, std::size_t size, const std::string& name) {
  if (size == 0) fail("{}: empty file, expected a PNG or JPEG image", name);
  Image image;
  switch (sniff_image_format(data, size)) {
    case ImageFormat::png:
      image = decode_png(data, size, name);
      break;
    case ImageFormat::jpeg:
      image = decode_jpeg(data, size, name);
      break;
    default:
      fail("{}: not a PNG or JPEG image", name);
  }
  if (image.width <= 0 || image.height <= 0) {
    fail("{}: image has zero size ({}x{})", name, image.width, image.height);
  }
  return image;
}

Image read_image(const std::string& path) {
  auto bytes = read_file_bytes(path);
  return decode_image(bytes.data(), bytes.size(), path);
}

Image to_gray(const Image& image) {
  if (image.channels == 1) return image;
  Image gray;
  gray.height = image.height;
  gray.width = image.width;
  gray.channels = 1;
  std::size_t n = static_cast<std::size_t>(image.height) * image.width;
  gray.pixels.resize(n);
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint8_t* p = image.pixels.data() + i * image.channels;
    std::uint32_t luma = 19595u * p[0] + 38470u * p[1] + 7471u * p[2] + 32768u;
    gray.pixels[i] = static_cast<std::uint8_t>(luma >> 16);
  }
  return gray;
}

void write_png(const std::string& path, const Image& image) {
  if (image.channels != 1 && image.channels != 3) {
    fail("{}: can only write gray or RGB PNG, got {} channels", path, image.channels);
  }
  AtomicOutput out(path);
  png_image png;
  std::memset(&png, 0, sizeof(png));
  png.version = PNG_IMAGE_VERSION;
  png.width = static_cast<png_uint_32>(image.width);
  png.height = static_cast<png_uint_32>(image.height);
  png.format = image.channels == 1 ? PNG_FORMAT_GRAY : PNG_FORMAT_RGB;
  if (!png_image_write_to_file(&png, out.temp_path().c_str(), 0, image.pixels.data(), 0, nullptr)) {
    fail("{}: cannot write PNG ({})", path, png.message);
  }
  out.commit();
}

bool has_image_extension(const std::string& path) {
  auto dot = path.find_last_of('.');
  if (dot == std::string::npos) return false;
  std::string ext = path.substr(dot + 1);
  std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
  return ext == "png" || ext == "jpg" || ext == "jpeg";
}

}  // namespace ventral
