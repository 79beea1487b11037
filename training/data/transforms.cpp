#include "training/data/transforms.h"

#include <torch/torch.h>

#include <algorithm>
#include <array>
#include <cmath>

#include "common/error.h"
#include "training/data/crop_geometry.h"
#include "training/data/image_folder_dataset.h"
#include "training/data/jpeg_region_decoder.h"
#include "training/data/sample_random.h"

namespace ventral::data {
namespace {

void flip_horizontally(Image* image) {
  const int ch = image->channels;
  for (int y = 0; y < image->height; ++y) {
    std::uint8_t* row = image->pixels.data() + static_cast<std::size_t>(y) * image->width * ch;
    for (int l = 0, r = image->width - 1; l < r; ++l, --r) {
      for (int c = 0; c < ch; ++c) std::swap(row[l * ch + c], row[r * ch + c]);
    }
  }
}

// Resize shorter side to floor(img_size / crop_pct), then centre crop img_size.
ResizeRequest eval_resize(int height, int width, const TransformOptions& o) {
  auto [resized_h, resized_w] = shorter_side_size(height, width,
                                                  eval_resize_size(o.img_size, o.crop_pct));
  ResizeRequest request = whole_image_resize(width, height, resized_w, resized_h);
  request.window = {center_crop_offset(resized_w, o.img_size), center_crop_offset(resized_h, o.img_size),
                    o.img_size, o.img_size};
  return request;
}

// The largest of 8, 4, 2 that the crop is downscaled by in both directions (Pillow's
// draft() rule), else 1.
int decode_denominator(const ResizeRequest& r) {
  int factor = std::min(r.view.width / r.out_width, r.view.height / r.out_height);
  for (int d : {8, 4, 2}) {
    if (factor >= d) return d;
  }
  return 1;
}

// The same resize expressed in the pixels of the image decoded at 1/denominator: the
// view widens to whole pixels and the exact crop becomes Pillow's fractional `box`.
ResizeRequest scale_request(const ResizeRequest& r, JpegSize full, JpegSize scaled) {
  ResizeRequest s = r;
  double fx = static_cast<double>(scaled.width) / full.width;
  double fy = static_cast<double>(scaled.height) / full.height;
  double x0 = (r.view.x + r.box_x0) * fx, x1 = (r.view.x + r.box_x1) * fx;
  double y0 = (r.view.y + r.box_y0) * fy, y1 = (r.view.y + r.box_y1) * fy;
  int ix0 = static_cast<int>(std::floor(x0)), iy0 = static_cast<int>(std::floor(y0));
  int ix1 = std::min(static_cast<int>(std::ceil(x1)), scaled.width);
  int iy1 = std::min(static_cast<int>(std::ceil(y1)), scaled.height);
  s.view = {ix0, iy0, std::max(ix1 - ix0, 1), std::max(iy1 - iy0, 1)};
  s.box_x0 = x0 - ix0;
  s.box_x1 = std::min(x1 - ix0, static_cast<double>(s.view.width));
  s.box_y0 = y0 - iy0;
  s.box_y1 = std::min(y1 - iy0, static_cast<double>(s.view.height));
  return s;
}

}  // namespace

void validate(const TransformOptions& o) {
  if (o.img_size < 0) fail("img_size: expected 0 (native size) or a positive size, got {}", o.img_size);
  if (!(o.scale_min > 0.0 && o.scale_min <= o.scale_max && o.scale_max <= 1.0)) {
    fail("scale: expected 0 < min <= max <= 1, got {}..{}", o.scale_min, o.scale_max);
  }
  if (!(o.ratio_min > 0.0 && o.ratio_min <= o.ratio_max)) {
    fail("ratio: expected 0 < min <= max, got {}..{}", o.ratio_min, o.ratio_max);
  }
  if (!(o.hflip >= 0.0 && o.hflip <= 1.0))
    fail("hflip: expected a probability in [0, 1], got {}", o.hflip);
  if (!(o.crop_pct > 0.0)) fail("crop_pct: expected a positive fraction, got {}", o.crop_pct);
  if (o.channels != 1 && o.channels != 3) fail("channels: expected 1 or 3, got {}", o.channels);
  for (const auto* values : {&o.mean, &o.std}) {
    const char* name = values == &o.mean ? "mean" : "std";
    if (values->size() != 1 && values->size() != static_cast<std::size_t>(o.channels)) {
      fail("{}: expected 1 or {} values, got {}", name, o.channels, values->size());
    }
  }
  for (float s : o.std) {
    if (!(s > 0.0f)) fail("std: expected positive values, got {}", s);
  }
}

TransformPlan plan_transform(int height, int width, const TransformOptions& o, std::mt19937_64& rng) {
  TransformPlan plan;
  if (o.img_size == 0) {
    plan.resize = whole_image_resize(width, height, width, height);
  } else if (o.train && o.random_resized_crop) {
    CropBox box = random_resized_crop_box(height, width, o.scale_min, o.scale_max, o.ratio_min,
                                          o.ratio_max, rng);
    plan.resize = whole_image_resize(box.width, box.height, o.img_size, o.img_size);
    plan.resize.view = {box.left, box.top, box.width, box.height};
  } else {
    plan.resize = eval_resize(height, width, o);
  }
  // torchvision draws the flip after the crop: `if torch.rand(1) < p`.
  if (o.train) plan.flip = uniform01(rng) < o.hflip;
  return plan;
}

Image convert_channels(const Image& image, int channels, const std::string& name) {
  if (image.channels == channels) return image;
  if (image.channels == 1 && channels == 3) return to_rgb(image);
  if (image.channels == 3 && channels == 1) return to_gray(image);
  fail("{}: has {} channels, cannot convert to {}", name, image.channels, channels);
}

Image transform_image(const Image& image, const TransformOptions& options, std::mt19937_64& rng) {
  Image converted = convert_channels(image, options.channels);
  TransformPlan plan = plan_transform(converted.height, converted.width, options, rng);
  Image out = resize_bilinear(converted, plan.resize);
  if (plan.flip) flip_horizontally(&out);
  return out;
}

std::pair<Image, Image> transform_image_and_map(const Image& image, const Image& map,
                                                const TransformOptions& options, std::mt19937_64& rng,
                                                const std::string& name) {
  if (map.channels != 1 || map.height != image.height || map.width != image.width) {
    fail("{}: the map is {}x{}x{}, expected {}x{}x1 like its image", name, map.width, map.height,
         map.channels, image.width, image.height);
  }
  Image converted = convert_channels(image, options.channels, name);
  TransformPlan plan = plan_transform(converted.height, converted.width, options, rng);
  Image out = resize_bilinear(converted, plan.resize);
  Image out_map = resize_bilinear(map, plan.resize);
  if (plan.flip) {
    flip_horizontally(&out);
    flip_horizontally(&out_map);
  }
  return {std::move(out), std::move(out_map)};
}

Image transform_encoded(const std::uint8_t* data, std::size_t size, const std::string& name,
                        const TransformOptions& options, std::mt19937_64& rng) {
  if (sniff_image_format(data, size) != ImageFormat::jpeg) {
    return transform_image(decode_image(data, size, name), options, rng);
  }
  JpegSize full = read_jpeg_size(data, size, name);
  TransformPlan plan = plan_transform(full.height, full.width, options, rng);
  int denominator = options.fast_decode ? decode_denominator(plan.resize) : 1;
  ResizeRequest request = plan.resize;
  if (denominator > 1) request = scale_request(request, full, scaled_jpeg_size(full, denominator));
  DecodedRegion region = decode_jpeg_region(data, size, name, denominator, resize_input_region(request));
  Image pixels = convert_channels(region.image, options.channels, name);
  Image out = resize_bilinear(pixels, request, region.origin_x, region.origin_y);
  if (plan.flip) flip_horizontally(&out);
  return out;
}

void normalise_into(const Image& image, const TransformOptions& options, float* out) {
  const int ch = image.channels;
  const std::size_t plane = static_cast<std::size_t>(image.height) * image.width;
  for (int c = 0; c < ch; ++c) {
    float mean = options.mean.size() == 1 ? options.mean[0] : options.mean[c];
    float std = options.std.size() == 1 ? options.std[0] : options.std[c];
    // The float32 steps of ToTensor (x / 255) and Normalize ((x - mean) / std), tabulated.
    std::array<float, 256> table;
    for (int v = 0; v < 256; ++v) table[v] = (static_cast<float>(v) / 255.0f - mean) / std;
    const std::uint8_t* src = image.pixels.data() + c;
    float* dst = out + c * plane;
    for (std::size_t i = 0; i < plane; ++i) dst[i] = table[src[i * ch]];
  }
}

torch::Tensor apply_transform(const Image& image, const TransformOptions& options,
                              std::mt19937_64& rng) {
  validate(options);
  Image out = transform_image(image, options, rng);
  auto tensor = torch::empty({out.channels, out.height, out.width}, torch::kFloat32);
  normalise_into(out, options, tensor.data_ptr<float>());
  return tensor;
}

}  // namespace ventral::data
