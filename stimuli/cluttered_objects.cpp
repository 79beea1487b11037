#include "stimuli/cluttered_objects.h"

#include <algorithm>
#include <cmath>
#include <random>

#include "common/error.h"

namespace ventral::stimuli {
namespace {

std::uint64_t splitmix(std::uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

struct Rgb {
  float r, g, b;
};

// A saturated colour of hue h in [0, 1) at value v (HSV with S = 1).
Rgb hue_colour(double h, float v) {
  const double k = h * 6.0;
  const int sector = static_cast<int>(k) % 6;
  const float f = static_cast<float>(k - std::floor(k));
  const float up = v * f, down = v * (1.0f - f);
  switch (sector) {
    case 0:
      return {v, up, 0};
    case 1:
      return {down, v, 0};
    case 2:
      return {0, v, up};
    case 3:
      return {0, down, v};
    case 4:
      return {up, 0, v};
    default:
      return {v, 0, down};
  }
}

// Item `item` of the pool resampled to side x side (bilinear, half-pixel centres), in [0, 1].
std::vector<float> scaled_item(const ObjectPool& pool, std::size_t item, int side) {
  const int n = pool.item_side;
  const std::uint8_t* src = pool.pixels.data() + item * static_cast<std::size_t>(n) * n;
  std::vector<float> out(static_cast<std::size_t>(side) * side);
  const double scale = static_cast<double>(n) / side;
  for (int y = 0; y < side; ++y) {
    const double sy = std::clamp((y + 0.5) * scale - 0.5, 0.0, n - 1.0);
    const int y0 = static_cast<int>(sy), y1 = std::min(y0 + 1, n - 1);
    const double wy = sy - y0;
    for (int x = 0; x < side; ++x) {
      const double sx = std::clamp((x + 0.5) * scale - 0.5, 0.0, n - 1.0);
      const int x0 = static_cast<int>(sx), x1 = std::min(x0 + 1, n - 1);
      const double wx = sx - x0;
      const double top = src[y0 * n + x0] * (1 - wx) + src[y0 * n + x1] * wx;
      const double bottom = src[y1 * n + x0] * (1 - wx) + src[y1 * n + x1] * wx;
      out[static_cast<std::size_t>(y) * side + x] = static_cast<float>((top * (1 - wy) + bottom * wy) /
                                                                       255.0);
    }
  }
  return out;
}

// Separable Gaussian blur with zeros outside, taps to 3 sigma.
std::vector<float> gaussian_blur(const std::vector<float>& in, int side, double sigma) {
  const int radius = std::max(1, static_cast<int>(std::ceil(3 * sigma)));
  std::vector<float> taps(2 * radius + 1);
  float sum = 0;
  for (int k = -radius; k <= radius; ++k)
    sum += taps[k + radius] = std::exp(-k * k / (2 * sigma * sigma));
  for (float& t : taps) t /= sum;
  std::vector<float> rows(in.size()), out(in.size());
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      float acc = 0;
      for (int k = -radius; k <= radius; ++k) {
        const int xx = x + k;
        if (xx >= 0 && xx < side) acc += taps[k + radius] * in[y * side + xx];
      }
      rows[y * side + x] = acc;
    }
  for (int y = 0; y < side; ++y)
    for (int x = 0; x < side; ++x) {
      float acc = 0;
      for (int k = -radius; k <= radius; ++k) {
        const int yy = y + k;
        if (yy >= 0 && yy < side) acc += taps[k + radius] * rows[yy * side + x];
      }
      out[y * side + x] = acc;
    }
  return out;
}

struct Box {
  int x, y, side;
  bool overlaps(const Box& o, int margin) const {
    return x < o.x + o.side + margin && o.x < x + side + margin && y < o.y + o.side + margin &&
           o.y < y + side + margin;
  }
};

}  // namespace

std::vector<std::array<std::uint8_t, 3>> cue_colours() {
  return {{{255, 0, 0}},     {{0, 255, 0}},   {{0, 0, 255}},   {{255, 255, 0}},
          {{255, 0, 255}},   {{0, 255, 255}}, {{255, 128, 0}}, {{128, 0, 255}},
          {{255, 255, 255}}, {{0, 0, 0}},     {{0, 128, 64}},  {{128, 64, 0}}};
}

ClutteredObjectsOptions cluttered_options_for_side(int side) {
  ClutteredObjectsOptions o;
  const double scale = side / 64.0;
  o.side = side;
  o.object_min = static_cast<int>(std::lround(28 * scale));
  o.object_max = static_cast<int>(std::lround(40 * scale));
  o.cue_side = std::max(3, static_cast<int>(std::lround(7 * scale)));
  o.map_sigma = 2.0 * scale;
  return o;
}

void validate_cluttered_options(const ClutteredObjectsOptions& o, const ObjectPool& pool) {
  if (pool.size() == 0) fail("cluttered objects: the object pool is empty");
  if (pool.item_side <= 0 || pool.pixels.size() != pool.size() * pool.item_side * pool.item_side)
    fail("cluttered objects: the pool's pixels do not hold {} items of {}x{}", pool.size(),
         pool.item_side, pool.item_side);
  if (pool.classes < 2 || pool.classes > static_cast<int>(cue_colours().size()))
    fail("cluttered objects: {} classes; the cue has colours for 2..{}", pool.classes,
         cue_colours().size());
  for (auto label : pool.labels) {
    if (label < 0 || label >= pool.classes)
      fail("cluttered objects: label {} outside 0..{}", label, pool.classes - 1);
  }
  if (o.object_min < 4 || o.object_min > o.object_max)
    fail("cluttered objects: object sizes {}..{} px invalid", o.object_min, o.object_max);
  if (o.cue_side < 1) fail("cluttered objects: cue side {} px invalid", o.cue_side);
  if (o.side < o.object_max + 2 * o.cue_side + 4)
    fail("cluttered objects: a {} px image cannot hold a {} px object and a {} px cue apart", o.side,
         o.object_max, o.cue_side);
  if (!(o.cue_agreement >= 0 && o.cue_agreement <= 1))
    fail("cluttered objects: cue agreement {} is not a probability", o.cue_agreement);
  if (!(o.map_sigma > 0)) fail("cluttered objects: map sigma {} px invalid", o.map_sigma);
}

ClutteredSample make_cluttered_object(const ObjectPool& pool, const ClutteredObjectsOptions& o,
                                      std::uint64_t seed, std::uint64_t index) {
  std::mt19937_64 rng(splitmix(splitmix(seed) ^ index));
  auto uniform = [&rng](double lo, double hi) {
    return std::uniform_real_distribution<double>(lo, hi)(rng);
  };
  auto integer = [&rng](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
  const int side = o.side;
  const std::size_t plane = static_cast<std::size_t>(side) * side;

  // Background: coloured noise around a dim random tint.
  std::vector<float> canvas(plane * 3);
  const Rgb tint = hue_colour(uniform(0, 1), static_cast<float>(uniform(0.15, 0.35)));
  for (std::size_t p = 0; p < plane; ++p) {
    const float noise = static_cast<float>(uniform(-0.08, 0.08));
    canvas[3 * p] = tint.r + noise;
    canvas[3 * p + 1] = tint.g + noise;
    canvas[3 * p + 2] = tint.b + noise;
  }
  auto paint = [&](const std::vector<float>& mask, int mask_side, int crop_x, int crop_y, int w, int h,
                   int at_x, int at_y, Rgb colour, float strength) {
    for (int y = 0; y < h; ++y) {
      for (int x = 0; x < w; ++x) {
        const int cx = at_x + x, cy = at_y + y;
        if (cx < 0 || cy < 0 || cx >= side || cy >= side) continue;
        const float a = strength * mask[(crop_y + y) * mask_side + crop_x + x];
        float* px = &canvas[3 * (static_cast<std::size_t>(cy) * side + cx)];
        px[0] = px[0] * (1 - a) + colour.r * a;
        px[1] = px[1] * (1 - a) + colour.g * a;
        px[2] = px[2] * (1 - a) + colour.b * a;
      }
    }
  };

  // Clutter: dimmed fragments of other items, so the background has object-like texture.
  const int item = pool.item_side;
  for (int k = 0; k < o.clutter_pieces; ++k) {
    const auto other = static_cast<std::size_t>(integer(0, static_cast<int>(pool.size()) - 1));
    const auto fragment = scaled_item(pool, other, item);
    const int w = integer(item / 3, item / 2), h = integer(item / 3, item / 2);
    paint(fragment, item, integer(0, item - w), integer(0, item - h), w, h,
          integer(-w / 2, side - w / 2), integer(-h / 2, side - h / 2),
          hue_colour(uniform(0, 1), static_cast<float>(uniform(0.4, 0.7))), 0.8f);
  }

  // The object.
  ClutteredSample s;
  s.object = index % pool.size();
  s.label = pool.labels[s.object];
  const int object_side = integer(o.object_min, o.object_max);
  const auto mask = scaled_item(pool, s.object, object_side);
  const Box object{integer(0, side - object_side), integer(0, side - object_side), object_side};
  paint(mask, object_side, 0, 0, object_side, object_side, object.x, object.y,
        hue_colour(uniform(0, 1), static_cast<float>(uniform(0.8, 1.0))), 1.0f);

  // The cue, clear of the object.
  const double draw = uniform(0, 1);
  if (o.cue != CueMode::absent) {
    const bool agrees = o.cue == CueMode::predictive && draw < o.cue_agreement;
    s.cue_class = agrees ? s.label : integer(0, pool.classes - 1);
    if (o.cue == CueMode::predictive && !agrees) {
      // a wrong class, so that cue_agreement is the share of images whose cue is right
      s.cue_class = (s.label + integer(1, pool.classes - 1)) % pool.classes;
    }
    // Two sigmas of the map's blur away from the object's box, so the human map is ~0 on it.
    const int margin = std::max(2, static_cast<int>(std::lround(2 * o.map_sigma)));
    Box cue{0, 0, o.cue_side};
    for (int attempt = 0; attempt < 200; ++attempt) {
      cue.x = integer(0, side - o.cue_side);
      cue.y = integer(0, side - o.cue_side);
      if (!cue.overlaps(object, margin)) break;
    }
    if (cue.overlaps(object, margin)) {  // the corner farthest from the object's centre
      cue.x = object.x + object_side / 2 < side / 2 ? side - o.cue_side : 0;
      cue.y = object.y + object_side / 2 < side / 2 ? side - o.cue_side : 0;
    }
    const auto colour = cue_colours()[static_cast<std::size_t>(s.cue_class)];
    for (int y = cue.y; y < cue.y + o.cue_side; ++y)
      for (int x = cue.x; x < cue.x + o.cue_side; ++x)
        for (int c = 0; c < 3; ++c)
          canvas[3 * (static_cast<std::size_t>(y) * side + x) + c] = colour[c] / 255.0f;
  }

  s.rgb.resize(plane * 3);
  for (std::size_t p = 0; p < plane * 3; ++p)
    s.rgb[p] = static_cast<std::uint8_t>(std::lround(std::clamp(canvas[p], 0.0f, 1.0f) * 255.0f));

  std::vector<float> object_mask(plane, 0.0f);
  for (int y = 0; y < object_side; ++y)
    for (int x = 0; x < object_side; ++x)
      object_mask[static_cast<std::size_t>(object.y + y) * side + object.x + x] =
          mask[y * object_side + x];
  s.map = gaussian_blur(object_mask, side, o.map_sigma);
  for (float& v : s.map) v = std::min(v * 255.0f, 255.0f);
  return s;
}

}  // namespace ventral::stimuli
