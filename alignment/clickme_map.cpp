#include "alignment/clickme_map.h"

#include <algorithm>
#include <cmath>

namespace ventral::alignment {

std::vector<float> resize_bilinear(const float* in, int h, int w, int out_h, int out_w) {
  // Source coordinate of output pixel i: (i + 0.5) * in / out - 0.5, clamped below at 0,
  // with the upper neighbour clamped to the last pixel (TensorFlow's and LibTorch's rule).
  struct Tap {
    int low, high;
    float frac;
  };
  auto taps = [](int in_size, int out_size) {
    std::vector<Tap> out(static_cast<std::size_t>(out_size));
    const float scale = static_cast<float>(in_size) / static_cast<float>(out_size);
    for (int i = 0; i < out_size; ++i) {
      const float source = std::max((static_cast<float>(i) + 0.5f) * scale - 0.5f, 0.0f);
      const int low = std::min(static_cast<int>(source), in_size - 1);
      out[static_cast<std::size_t>(i)] = {low, std::min(low + 1, in_size - 1),
                                          source - static_cast<float>(low)};
    }
    return out;
  };
  const auto rows = taps(h, out_h), cols = taps(w, out_w);
  std::vector<float> out(static_cast<std::size_t>(out_h) * out_w);
  for (int y = 0; y < out_h; ++y) {
    const Tap& r = rows[static_cast<std::size_t>(y)];
    const float* top = in + static_cast<std::size_t>(r.low) * w;
    const float* bottom = in + static_cast<std::size_t>(r.high) * w;
    for (int x = 0; x < out_w; ++x) {
      const Tap& c = cols[static_cast<std::size_t>(x)];
      const float upper = top[c.low] + (top[c.high] - top[c.low]) * c.frac;
      const float lower = bottom[c.low] + (bottom[c.high] - bottom[c.low]) * c.frac;
      out[static_cast<std::size_t>(y) * out_w + x] = upper + (lower - upper) * r.frac;
    }
  }
  return out;
}

std::array<float, kBlurTaps * kBlurTaps> clickme_blur_kernel(float sigma) {
  std::array<float, kBlurTaps * kBlurTaps> k{};
  float sum = 0;
  for (int r = 0; r < kBlurTaps; ++r) {
    for (int c = 0; c < kBlurTaps; ++c) {
      const float x = static_cast<float>(c - 5), y = static_cast<float>(4 - r);
      // The 1 / (2 pi sigma^2) of blur.py cancels in the normalisation.
      k[static_cast<std::size_t>(r * kBlurTaps + c)] = std::exp(-(x * x + y * y) / (2 * sigma * sigma));
      sum += k[static_cast<std::size_t>(r * kBlurTaps + c)];
    }
  }
  for (float& v : k) v /= sum;
  return k;
}

std::vector<float> clickme_blur(const float* in, int h, int w) {
  static const auto kernel = clickme_blur_kernel();
  constexpr int kBefore = (kBlurTaps - 1) / 2;  // TF SAME: 4 before, 5 after for 10 taps
  std::vector<float> out(static_cast<std::size_t>(h) * w, 0.0f);
  for (int i = 0; i < h; ++i) {
    for (int j = 0; j < w; ++j) {
      float acc = 0;
      for (int r = 0; r < kBlurTaps; ++r) {
        const int y = i + r - kBefore;
        if (y < 0 || y >= h) continue;
        for (int c = 0; c < kBlurTaps; ++c) {
          const int x = j + c - kBefore;
          if (x < 0 || x >= w) continue;
          acc += kernel[static_cast<std::size_t>(r * kBlurTaps + c)] *
                 in[static_cast<std::size_t>(y) * w + x];
        }
      }
      out[static_cast<std::size_t>(i) * w + j] = acc;
    }
  }
  return out;
}

std::vector<float> clickme_human_map(const float* heatmap, int h, int w) {
  const auto small = resize_bilinear(heatmap, h, w, kBlurSide, kBlurSide);
  const auto blurred = clickme_blur(small.data(), kBlurSide, kBlurSide);
  return resize_bilinear(blurred.data(), kBlurSide, kBlurSide, kScoreSide, kScoreSide);
}

std::vector<float> clickme_training_map(const float* heatmap, int h, int w, int out_h, int out_w) {
  const auto small = resize_bilinear(heatmap, h, w, kBlurSide, kBlurSide);
  const auto blurred = clickme_blur(small.data(), kBlurSide, kBlurSide);
  auto map = resize_bilinear(blurred.data(), kBlurSide, kBlurSide, out_h, out_w);
  const auto [lo, hi] = std::minmax_element(map.begin(), map.end());
  const float low = *lo, range = *hi - *lo;
  for (float& v : map) v = range > 0 ? (v - low) / range : 0.0f;
  return map;
}

}  // namespace ventral::alignment
