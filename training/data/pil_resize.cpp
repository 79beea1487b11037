#include "training/data/pil_resize.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "common/error.h"

namespace ventral::data {
namespace {

constexpr int kPrecisionBits = 32 - 8 - 2;  // Pillow's PRECISION_BITS for 8-bit images

// Filter taps of one output coordinate: input positions first..first+count-1 (view
// coordinates) with fixed-point weights.
struct Taps {
  int taps_per_output = 0;
  std::vector<int> first, count;
  std::vector<std::int32_t> weights;  ///< taps_per_output per output, zero-padded
};

double triangle(double x) {
  x = std::fabs(x);
  return x < 1.0 ? 1.0 - x : 0.0;
}

// Pillow's precompute_coeffs + normalize_coeffs_8bpc for outputs [out_begin, out_end).
Taps pil_taps(int in_size, double in0, double in1, int out_size, int out_begin, int out_end) {
  double scale = (in1 - in0) / out_size;
  double filter_scale = std::max(scale, 1.0);
  double support = 1.0 * filter_scale;
  Taps taps;
  taps.taps_per_output = static_cast<int>(std::ceil(support)) * 2 + 1;
  int n = std::max(out_end - out_begin, 0);
  taps.first.resize(n);
  taps.count.resize(n);
  taps.weights.assign(static_cast<std::size_t>(n) * taps.taps_per_output, 0);
  std::vector<double> w(taps.taps_per_output);
  for (int o = 0; o < n; ++o) {
    double center = in0 + (out_begin + o + 0.5) * scale;
    // Pillow rounds with (int)(x + 0.5), truncation toward zero included.
    int xmin = std::max(static_cast<int>(center - support + 0.5), 0);
    int xmax = std::min(static_cast<int>(center + support + 0.5), in_size) - xmin;
    double total = 0.0;
    for (int x = 0; x < xmax; ++x) {
      w[x] = triangle((x + xmin - center + 0.5) / filter_scale);
      total += w[x];
    }
    for (int x = 0; x < xmax; ++x) {
      double k = total != 0.0 ? w[x] / total : w[x];
      double fixed = k * (1 << kPrecisionBits);
      taps.weights[static_cast<std::size_t>(o) * taps.taps_per_output + x] = static_cast<std::int32_t>(
          k < 0 ? -0.5 + fixed : 0.5 + fixed);
    }
    taps.first[o] = xmin;
    taps.count[o] = std::max(xmax, 0);
  }
  return taps;
}

std::uint8_t clip8(std::int32_t sum) {
  std::int32_t v = sum >> kPrecisionBits;
  return static_cast<std::uint8_t>(v < 0 ? 0 : (v > 255 ? 255 : v));
}

// One row of the horizontal pass; C is the channel count (0: use `channels`).
// `row` is a source row; view column v is at row[(v + shift) * channels]. C is the
// channel count (0: use `channels`); all channels of a pixel go through one tap loop.
template <int C>
void horizontal_row(const std::uint8_t* __restrict row, int shift, std::uint8_t* __restrict out,
                    const Taps& taps, int outputs, int channels) {
  const int ch = C > 0 ? C : channels;
  constexpr int kMaxFixed = C > 0 ? C : 1;
  for (int o = 0; o < outputs; ++o) {
    const std::int32_t* k = taps.weights.data() + static_cast<std::size_t>(o) * taps.taps_per_output;
    const std::uint8_t* p = row + static_cast<std::size_t>(taps.first[o] + shift) * ch;
    const int count = taps.count[o];
    if (C > 0) {
      std::int32_t sum[kMaxFixed];
      for (int c = 0; c < C; ++c) sum[c] = 1 << (kPrecisionBits - 1);
      for (int t = 0; t < count; ++t) {
        for (int c = 0; c < C; ++c) sum[c] += p[t * C + c] * k[t];
      }
      for (int c = 0; c < C; ++c) out[o * C + c] = clip8(sum[c]);
    } else {
      for (int c = 0; c < ch; ++c) {
        std::int32_t sum = 1 << (kPrecisionBits - 1);
        for (int t = 0; t < count; ++t) sum += p[t * ch + c] * k[t];
        out[o * ch + c] = clip8(sum);
      }
    }
  }
}

// One output row of the vertical pass: sum over taps of weight * input row, then clip.
// Taps outermost so that the loops run along rows and vectorise; an AVX2 clone (chosen at
// load time) multiplies 8 int32 lanes at once, which plain x86-64 SSE2 cannot.
__attribute__((target_clones("avx2", "default"))) void vertical_row(const std::uint8_t* const* rows,
                                                                    const std::int32_t* weights,
                                                                    int count, std::size_t length,
                                                                    std::int32_t* __restrict sums,
                                                                    std::uint8_t* __restrict out) {
  for (std::size_t x = 0; x < length; ++x) sums[x] = 1 << (kPrecisionBits - 1);
  for (int t = 0; t < count; ++t) {
    const std::uint8_t* __restrict src = rows[t];
    const std::int32_t weight = weights[t];
    for (std::size_t x = 0; x < length; ++x) sums[x] += src[x] * weight;
  }
  for (std::size_t x = 0; x < length; ++x) {
    std::int32_t v = sums[x] >> kPrecisionBits;
    v = v < 0 ? 0 : v;
    out[x] = static_cast<std::uint8_t>(v > 255 ? 255 : v);
  }
}

}  // namespace

ResizeRequest whole_image_resize(int width, int height, int out_width, int out_height) {
  ResizeRequest request;
  request.view = {0, 0, width, height};
  request.box_x1 = width;
  request.box_y1 = height;
  request.out_width = out_width;
  request.out_height = out_height;
  request.window = {0, 0, out_width, out_height};
  return request;
}

namespace {

// Does a pass change anything? Pillow skips a pass whose size and box are the identity.
bool pass_needed(int view_size, double box0, double box1, int out_size) {
  return out_size != view_size || box0 != 0.0 || box1 != out_size;
}

// The outputs of the window that lie inside [0, out_size).
std::pair<int, int> clipped(int begin, int size, int out_size) {
  return {std::clamp(begin, 0, out_size), std::clamp(begin + size, 0, out_size)};
}

}  // namespace

PixelRect resize_input_region(const ResizeRequest& r) {
  auto [x_begin, x_end] = clipped(r.window.x, r.window.width, r.out_width);
  auto [y_begin, y_end] = clipped(r.window.y, r.window.height, r.out_height);
  if (x_begin >= x_end || y_begin >= y_end) return {r.view.x, r.view.y, 0, 0};
  auto range = [](bool needed, int view_size, double b0, double b1, int out_size, int begin,
                  int end) -> std::pair<int, int> {
    if (!needed) return {begin, end};
    Taps taps = pil_taps(view_size, b0, b1, out_size, begin, end);
    int lo = view_size, hi = 0;
    for (std::size_t o = 0; o < taps.first.size(); ++o) {
      lo = std::min(lo, taps.first[o]);
      hi = std::max(hi, taps.first[o] + taps.count[o]);
    }
    return {lo, std::max(lo, hi)};
  };
  auto [x0, x1] = range(pass_needed(r.view.width, r.box_x0, r.box_x1, r.out_width), r.view.width,
                        r.box_x0, r.box_x1, r.out_width, x_begin, x_end);
  auto [y0, y1] = range(pass_needed(r.view.height, r.box_y0, r.box_y1, r.out_height), r.view.height,
                        r.box_y0, r.box_y1, r.out_height, y_begin, y_end);
  return {r.view.x + x0, r.view.y + y0, x1 - x0, y1 - y0};
}

Image resize_bilinear(const Image& source, const ResizeRequest& r, int origin_x, int origin_y) {
  const int ch = source.channels;
  if (r.view.width <= 0 || r.view.height <= 0 || r.out_width <= 0 || r.out_height <= 0 ||
      r.window.width <= 0 || r.window.height <= 0) {
    fail("resize: view {}x{} to {}x{} (window {}x{}): expected positive sizes", r.view.width,
         r.view.height, r.out_width, r.out_height, r.window.width, r.window.height);
  }
  PixelRect needed = resize_input_region(r);
  if (needed.width > 0 &&
      (needed.x < origin_x || needed.y < origin_y || needed.x + needed.width > origin_x + source.width ||
       needed.y + needed.height > origin_y + source.height)) {
    fail("resize: reads {}x{}+{}+{}, outside the {}x{}+{}+{} pixels given", needed.width, needed.height,
         needed.x, needed.y, source.width, source.height, origin_x, origin_y);
  }
  Image out{r.window.height, r.window.width, ch, {}};
  out.pixels.assign(static_cast<std::size_t>(out.height) * out.width * ch, 0);
  auto [x_begin, x_end] = clipped(r.window.x, r.window.width, r.out_width);
  auto [y_begin, y_end] = clipped(r.window.y, r.window.height, r.out_height);
  if (x_begin >= x_end || y_begin >= y_end) return out;
  const int columns = x_end - x_begin;
  const bool horizontal = pass_needed(r.view.width, r.box_x0, r.box_x1, r.out_width);
  const bool vertical = pass_needed(r.view.height, r.box_y0, r.box_y1, r.out_height);

  // Rows of the view the vertical pass reads.
  Taps vtaps;
  int row_begin = y_begin, row_end = y_end;
  if (vertical) {
    vtaps = pil_taps(r.view.height, r.box_y0, r.box_y1, r.out_height, y_begin, y_end);
    row_begin = r.view.height;
    row_end = 0;
    for (int o = 0; o < y_end - y_begin; ++o) {
      row_begin = std::min(row_begin, vtaps.first[o]);
      row_end = std::max(row_end, vtaps.first[o] + vtaps.count[o]);
    }
    row_end = std::max(row_end, row_begin);
  }

  // Horizontal pass (or a plain copy) into rows [row_begin, row_end) x the window's columns.
  const std::size_t row_bytes = static_cast<std::size_t>(columns) * ch;
  std::vector<std::uint8_t> temp(static_cast<std::size_t>(row_end - row_begin) * row_bytes);
  const std::size_t source_stride = static_cast<std::size_t>(source.width) * ch;
  const int shift = r.view.x - origin_x;  // view column v is source column v + shift
  auto source_row = [&](int view_row) {
    return source.pixels.data() +
           static_cast<std::size_t>(r.view.y + view_row - origin_y) * source_stride;
  };
  if (horizontal) {
    Taps htaps = pil_taps(r.view.width, r.box_x0, r.box_x1, r.out_width, x_begin, x_end);
    for (int y = row_begin; y < row_end; ++y) {
      std::uint8_t* dst = temp.data() + (y - row_begin) * row_bytes;
      if (ch == 3) horizontal_row<3>(source_row(y), shift, dst, htaps, columns, ch);
      else if (ch == 1) horizontal_row<1>(source_row(y), shift, dst, htaps, columns, ch);
      else horizontal_row<0>(source_row(y), shift, dst, htaps, columns, ch);
    }
  } else {
    for (int y = row_begin; y < row_end; ++y) {
      std::memcpy(temp.data() + (y - row_begin) * row_bytes,
                  source_row(y) + static_cast<std::size_t>(x_begin + shift) * ch, row_bytes);
    }
  }

  // Vertical pass (or a copy) into the output window.
  std::vector<std::int32_t> sums(row_bytes);
  std::vector<const std::uint8_t*> rows(std::max(vtaps.taps_per_output, 1));
  for (int yy = y_begin; yy < y_end; ++yy) {
    std::uint8_t* dst = out.pixels.data() + (static_cast<std::size_t>(yy - r.window.y) * out.width +
                                             (x_begin - r.window.x)) *
                                                ch;
    if (!vertical) {
      std::memcpy(dst, temp.data() + (yy - row_begin) * row_bytes, row_bytes);
      continue;
    }
    int o = yy - y_begin;
    for (int t = 0; t < vtaps.count[o]; ++t) {
      rows[t] = temp.data() + (vtaps.first[o] + t - row_begin) * row_bytes;
    }
    vertical_row(rows.data(), vtaps.weights.data() + static_cast<std::size_t>(o) * vtaps.taps_per_output,
                 vtaps.count[o], row_bytes, sums.data(), dst);
  }
  return out;
}

Image pil_resize(const Image& source, int out_width, int out_height) {
  return resize_bilinear(source, whole_image_resize(source.width, source.height, out_width, out_height));
}

}  // namespace ventral::data
