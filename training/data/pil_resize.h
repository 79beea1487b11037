// Bilinear resizing with Pillow's exact arithmetic (Pillow 9.4 libImaging/Resample.c,
// Image.resize(size, BILINEAR, box)): a triangle filter whose support grows with the
// downscale factor (antialiasing), weights normalised per output pixel and rounded to
// 22-bit fixed point, horizontal pass first into an 8-bit intermediate, then vertical.
// uint8 results equal Pillow's bit for bit, which is what torchvision's transforms on
// PIL images (and so timm's training recipes) produce.
#pragma once

#include "common/image_io.h"

namespace ventral::data {

/// An integer rectangle in pixels.
struct PixelRect {
  int x = 0, y = 0, width = 0, height = 0;
};

/// What to resize and which part of the result to keep.
struct ResizeRequest {
  /// The rectangle of the source image that plays the whole input (Pillow:
  /// image.crop(view).resize(...)); pixels outside it never contribute.
  PixelRect view;
  /// Pillow's `box` inside the view, in view pixels; (0, 0, view.width, view.height)
  /// except when the view was decoded at a reduced scale.
  double box_x0 = 0, box_y0 = 0, box_x1 = 0, box_y1 = 0;
  /// Size of the resized image.
  int out_width = 0, out_height = 0;
  /// The part of the resized image to return; parts outside [0, out) are zero
  /// (torchvision CenterCrop pads with 0).
  PixelRect window;
};

/// A request that resizes all of a width x height image to out_width x out_height.
ResizeRequest whole_image_resize(int width, int height, int out_width, int out_height);

/// The window of the resized image (request.window.width x height), any channel count.
/// `source` holds the image's pixels from (origin_x, origin_y) on: the whole image, or
/// just a decoded part that covers resize_input_region(request).
Image resize_bilinear(const Image& source, const ResizeRequest& request, int origin_x = 0,
                      int origin_y = 0);

/// Source pixels the request reads: a sub-rectangle of request.view. Decoders use it
/// to skip the rest of the file.
PixelRect resize_input_region(const ResizeRequest& request);

/// Pillow's Image.resize((out_width, out_height), BILINEAR) of the whole image.
Image pil_resize(const Image& source, int out_width, int out_height);

}  // namespace ventral::data
