// Snake growth after drewlinsley/pathfinder snakes.py (seed_snake, extend_snake,
// get_coords_cmf, translate_coord) and snakes2.py (two_snakes, initialize_two_seeds,
// from_wrapper); presets in pathfinder_presets.cpp.
#include "stimuli/pathfinder.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <memory>
#include <random>

#include "common/error.h"
#include "common/random_draw.h"
#include "stimuli/pathfinder_canvas.h"

namespace ventral::stimuli {
namespace {

constexpr double kPi = 3.14159265358979323846;
constexpr int kSeedTries = 100;  // random tails tried before a distractor seed gives up
constexpr double kConeWeight = 1e-20;

struct Point {
  int y = 0, x = 0;
};

// std::ceil for coordinates (|v| far below 2^31), without the library call it becomes on
// CPUs targeted without SSE4.1.
inline int ceil_to_int(double v) {
  const int truncated = static_cast<int>(v);
  return truncated + (static_cast<double>(truncated) < v ? 1 : 0);
}

// translate_coord: ceil of the exact end point, as the original.
Point translate(Point p, double sine, double cosine, double distance) {
  return {ceil_to_int(p.y + distance * sine), ceil_to_int(p.x + distance * cosine)};
}

double flip(double angle) { return angle < 0 ? angle + kPi : angle - kPi; }

// np.random.randint(-180, 180): a seed's orientation in whole degrees.
int random_degrees(std::mt19937_64& rng) { return static_cast<int>(uniform_below(rng, 360)) - 180; }

template <typename T>
const T& pick(const std::vector<T>& values, std::mt19937_64& rng) {
  return values.size() > 1 ? values[uniform_below(rng, values.size())] : values.front();
}

// One snake being grown: its paddles, and the mask of its last paddle, which joins the
// occupancy mask only when the next paddle is placed (so neighbours never collide).
struct Snake {
  std::vector<PathfinderPaddle> paddles;
  std::vector<double> contrasts;
  Point pivot;  // `margin` px beyond the last paddle's far end
  double orientation = 0;
  int ring_index = -1;                  // orientation's index in the ring, -1 for a seed's
  int seed_degrees = 0;                 // the seed's orientation in whole degrees
  const PaddleMask* pending = nullptr;  // points into the Grower's mask caches
  Point pending_anchor;
};

// The candidates a snake heading one way takes with a weight that counts (at least
// kConeWeight). The others turn by about (pi / 2) / continuity or more and weigh
// cos(pi / 2)^2 = 3.7e-33, or a few times that where a turn meets the limit up to rounding:
// too little to change the rounding of any sum that holds a counting weight.
struct Cone {
  PointOffsets points;             // offsets from the pivot, in ring order
  std::vector<std::size_t> index;  // their ring indices
  std::vector<double> weight;      // their turn weights
};

// What depends only on the recipe and the image's margin: the candidate ring around a pivot,
// paddle masks per orientation and the turn weights. Built once per thread and setting
// (growth_geometry), since a 64 px image with 14-paddle snakes tries hundreds of snake
// pairs and every try reuses them.
class GrowthGeometry {
 public:
  GrowthGeometry(const PathfinderOptions& options, int margin)
      : paddle_length(options.paddle_length),
        margin(margin),
        thickness(options.paddle_thickness),
        continuity(options.continuity),
        radius(std::max(margin + options.paddle_thickness / 2 - 0.5, options.paddle_thickness / 2)) {
    // get_coords_cmf: points one pixel of arc apart on the circle of radius
    // paddle_length + margin, truncated to pixels and de-duplicated. Pivots are integers,
    // so the offsets are the same around every pivot (pixels outside the image drop out).
    const double step = options.paddle_length + margin;
    const double degrees_per_pixel = 360.0 / (2 * step * kPi);
    for (double degrees = 0; degrees < 360; degrees += degrees_per_pixel) {
      double angle = degrees * kPi / 180;
      ring.push_back({static_cast<int>(std::floor(step * std::sin(angle))),
                      static_cast<int>(std::floor(step * std::cos(angle)))});
    }
    std::sort(ring.begin(), ring.end(),
              [](Point a, Point b) { return a.y != b.y ? a.y < b.y : a.x < b.x; });
    ring.erase(std::unique(ring.begin(), ring.end(),
                           [](Point a, Point b) { return a.y == b.y && a.x == b.x; }),
               ring.end());
    std::vector<std::pair<int, int>> offsets;
    for (Point p : ring) offsets.emplace_back(p.y, p.x);
    ring_offsets = PointOffsets(std::move(offsets));
    for (Point p : ring) {
      ring_angle.push_back(std::atan2(p.y, p.x));
      ring_sin.push_back(std::sin(ring_angle.back()));
      ring_cos.push_back(std::cos(ring_angle.back()));
    }
    // Every turn weight a snake can need: from each seed orientation and from each ring
    // orientation to each candidate.
    seed_turn_weights_.resize(360 * ring.size());
    for (int degrees = -180; degrees < 180; ++degrees) {
      for (std::size_t k = 0; k < ring.size(); ++k) {
        seed_turn_weights_[static_cast<std::size_t>(degrees + 180) * ring.size() + k] = turn_weight(
            degrees * kPi / 180.0, k);
      }
    }
    for (int degrees = -180; degrees < 180; ++degrees) {
      const double angle = degrees * kPi / 180.0;
      const std::size_t slot = static_cast<std::size_t>(degrees + 180);
      seed_sin[slot] = std::sin(angle);
      seed_cos[slot] = std::cos(angle);
      seed_back_sin[slot] = std::sin(flip(angle));
      seed_back_cos[slot] = std::cos(flip(angle));
    }
    seed_masks_.resize(360);
    for (int degrees = -180; degrees < 180; ++degrees) {
      const double angle = degrees * kPi / 180.0;
      PaddleMask& mask = seed_masks_[static_cast<std::size_t>(degrees + 180)];
      paddle_mask(0, 0, paddle_length * std::sin(angle), paddle_length * std::cos(angle), radius, 0, 0,
                  &mask);
      add_clearance(&mask, margin);
    }
    ring_masks_.resize(ring.size());
    for (std::size_t k = 0; k < ring.size(); ++k) {
      const double angle = ring_angle[k];
      paddle_mask(-paddle_length * std::sin(angle), -paddle_length * std::cos(angle), 0, 0, radius, 0, 0,
                  &ring_masks_[k]);
      add_clearance(&ring_masks_[k], margin);
    }
    turn_weights_.resize(ring.size() * ring.size());
    for (std::size_t from = 0; from < ring.size(); ++from) {
      for (std::size_t k = 0; k < ring.size(); ++k)
        turn_weights_[from * ring.size() + k] = turn_weight(ring_angle[from], k);
    }
    for (int degrees = -180; degrees < 180; ++degrees)
      seed_cones_.push_back(cone(degrees * kPi / 180.0));
    for (std::size_t from = 0; from < ring.size(); ++from) ring_cones_.push_back(cone(ring_angle[from]));
    // Sampling from the cones gives the original's sums and draws exactly when the smallest
    // counting weight is so much larger than all the others together that adding them
    // changes no sum (2^-55 of it: half an ulp with room); draws below cone_draw_floor could
    // land on a candidate outside the cone and are decided on the whole ring.
    double smallest = 1.0, outside = 0.0;
    for (const auto* cones : {&seed_cones_, &ring_cones_}) {
      for (const Cone& c : *cones) {
        for (double w : c.weight) smallest = std::min(smallest, w);
      }
    }
    for (double w : turn_weights_) outside = w < kConeWeight ? std::max(outside, w) : outside;
    for (double w : seed_turn_weights_) outside = w < kConeWeight ? std::max(outside, w) : outside;
    const double outside_sum = outside * static_cast<double>(ring.size());
    cones_exact = smallest * std::ldexp(1.0, -55) > outside_sum;
    cone_draw_floor = 4 * outside_sum;
  }

  bool matches(const PathfinderOptions& o, int m) const {
    return o.paddle_length == paddle_length && m == margin && o.paddle_thickness == thickness &&
           o.continuity == continuity;
  }

  // The mask of a seed paddle along `degrees` (an integer in [-180, 180)), as offsets from
  // its tail. Seeds only take these 360 orientations.
  const PaddleMask* seed_mask(int degrees) const {
    return &seed_masks_[static_cast<std::size_t>(degrees + 180)];
  }

  // The mask of a paddle ending at ring candidate k, as offsets from its far end (head).
  const PaddleMask* ring_mask(std::size_t k) const { return &ring_masks_[k]; }

  // cos(min(continuity * turn, pi / 2))^2 for a turn from `orientation` to candidate k.
  double turn_weight(double orientation, std::size_t k) const {
    return turn_weight_of(turn(orientation, k));
  }

  // The turn from `orientation` to candidate k, radians in [0, pi].
  double turn(double orientation, std::size_t k) const {
    const double turn = std::abs(ring_angle[k] - orientation);
    return std::min(turn, 2 * kPi - turn);
  }

  double turn_weight_of(double turn) const {
    double cosine = std::max(std::cos(std::min(turn * continuity, 0.5 * kPi)), 0.0);
    return cosine * cosine;
  }

  Cone cone(double orientation) const {
    Cone c;
    std::vector<std::pair<int, int>> offsets;
    for (std::size_t k = 0; k < ring.size(); ++k) {
      if (turn_weight(orientation, k) < kConeWeight) continue;
      offsets.emplace_back(ring[k].y, ring[k].x);
      c.index.push_back(k);
      c.weight.push_back(turn_weight(orientation, k));
    }
    c.points = PointOffsets(std::move(offsets));
    return c;
  }

  const Cone& seed_cone(int degrees) const {
    return seed_cones_[static_cast<std::size_t>(degrees + 180)];
  }
  const Cone& ring_cone(std::size_t from) const { return ring_cones_[from]; }

  // turn_weight to every candidate for a snake still on its seed paddle, oriented `degrees`.
  const double* seed_turn_weights(int degrees) const {
    return &seed_turn_weights_[static_cast<std::size_t>(degrees + 180) * ring.size()];
  }

  // turn_weight to every candidate for a snake oriented like ring candidate `from` (every
  // paddle after a seed).
  const double* ring_turn_weights(std::size_t from) const { return &turn_weights_[from * ring.size()]; }

  const int paddle_length, margin;
  const double thickness, continuity;
  // Mask radius around a paddle's centre line. The original's mask is the line dilated by
  // `margin` and Lanczos-resized, and two masks collide where both exceed about 0.9, half
  // a pixel inside that outline: margin + thickness / 2 - 0.5.
  const double radius;
  std::vector<Point> ring;    // candidate offsets of the next far end from the pivot
  PointOffsets ring_offsets;  // the same, for PathfinderCanvas::free_points
  bool cones_exact = false;   // sample from the cones (see the constructor)
  double cone_draw_floor = 0;
  std::vector<double> ring_angle;  // their orientations, atan2(dy, dx)
  std::vector<double> ring_sin, ring_cos;
  // sin and cos of the 360 seed orientations (degrees + 180) and of their reverses.
  std::array<double, 360> seed_sin{}, seed_cos{}, seed_back_sin{}, seed_back_cos{};

 private:
  std::vector<PaddleMask> ring_masks_;     // per ring candidate
  std::vector<PaddleMask> seed_masks_;     // per seed orientation (degrees + 180)
  std::vector<double> turn_weights_;       // ring x ring
  std::vector<double> seed_turn_weights_;  // 360 seed orientations x ring
  std::vector<Cone> seed_cones_, ring_cones_;
};

// This thread's geometry for the setting (kept for the thread's life: a handful of settings).
GrowthGeometry& growth_geometry(const PathfinderOptions& options, int margin) {
  thread_local std::vector<std::unique_ptr<GrowthGeometry>> cache;
  for (auto& g : cache) {
    if (g->matches(options, margin)) return *g;
  }
  cache.push_back(std::make_unique<GrowthGeometry>(options, margin));
  return *cache.back();
}

// This thread's canvas of `size` px with `clearance` (reset before every use).
PathfinderCanvas& reusable_canvas(int size, int clearance) {
  thread_local std::vector<std::unique_ptr<PathfinderCanvas>> cache;
  for (auto& c : cache) {
    if (c->size() == size && c->clearance() == clearance) return *c;
  }
  cache.push_back(std::make_unique<PathfinderCanvas>(size, clearance));
  return *cache.back();
}

class Grower {
 public:
  Grower(const PathfinderOptions& options, PathfinderCanvas& canvas, std::mt19937_64& rng,
         GrowthGeometry& geometry)
      : o_(options),
        canvas_(canvas),
        rng_(rng),
        geo_(geometry),
        margin_(geometry.margin),
        open_(geometry.ring.size()),
        weights_(geometry.ring.size()) {}

  // A seed paddle from integer `tail` along `angle`: its mask, and whether head and pivot
  // are in the image (initialize_two_seeds / seed_snake).
  bool seed(Snake& snake, Point tail, int degrees, double contrast, const PaddleMask* mask) {
    const int length = o_.paddle_length;
    const double angle = degrees * kPi / 180.0;
    const std::size_t slot = static_cast<std::size_t>(degrees + 180);
    Point head = translate(tail, geo_.seed_sin[slot], geo_.seed_cos[slot], length);
    Point pivot = translate(head, geo_.seed_back_sin[slot], geo_.seed_back_cos[slot], length + margin_);
    if (!canvas_.inside(head.y, head.x) || !canvas_.inside(pivot.y, pivot.x)) return false;
    PathfinderPaddle paddle{static_cast<float>(tail.y), static_cast<float>(tail.x),
                            static_cast<float>(tail.y + length * geo_.seed_sin[slot]),
                            static_cast<float>(tail.x + length * geo_.seed_cos[slot])};
    snake.paddles.assign(1, paddle);
    snake.contrasts.assign(1, contrast);
    snake.pivot = pivot;
    snake.orientation = angle;
    snake.ring_index = -1;
    snake.seed_degrees = degrees;
    snake.pending = mask;
    snake.pending_anchor = tail;
    return true;
  }

  // extend_snake: the next paddle's far end is drawn on the circle of radius
  // paddle_length + margin around the next pivot, weighted by continuity and by the
  // free space around it; a colliding paddle is re-drawn up to max_paddle_retrial times.
  // `other`: the other target snake, whose newest paddle is not in the mask yet (the
  // original does not check it).
  bool extend(Snake& snake, double contrast, const Snake* other = nullptr) {
    const int length = o_.paddle_length;
    const bool on_ring = snake.ring_index >= 0;
    const std::size_t from = on_ring ? static_cast<std::size_t>(snake.ring_index) : 0;
    const std::size_t seed_slot = static_cast<std::size_t>(snake.seed_degrees + 180);
    Point pivot = on_ring ? translate(snake.pivot, geo_.ring_sin[from], geo_.ring_cos[from],
                                      length + 2 * margin_)
                          : translate(snake.pivot, geo_.seed_sin[seed_slot], geo_.seed_cos[seed_slot],
                                      length + 2 * margin_);
    const std::size_t candidates = geo_.ring.size();
    const double* turn = on_ring ? geo_.ring_turn_weights(from)
                                 : geo_.seed_turn_weights(snake.seed_degrees);
    const Cone* cone = nullptr;
    if (geo_.cones_exact) cone = on_ring ? &geo_.ring_cone(from) : &geo_.seed_cone(snake.seed_degrees);
    std::size_t count = cone != nullptr ? open_weights(pivot, cone->points, cone->weight.data())
                                        : open_weights(pivot, geo_.ring_offsets, turn);
    const double total = count > 0 ? weights_[count - 1] : 0.0;
    if (total < 1e-4) return false;
    for (int trial = 0; trial <= o_.max_paddle_retrial; ++trial) {
      double draw = uniform01(rng_) * total;
      if (cone != nullptr && draw < geo_.cone_draw_floor) {
        cone = nullptr;  // about 1e-30 of the draws
        count = open_weights(pivot, geo_.ring_offsets, turn);
      }
      // upper_bound as a count: the first cumulative weight above the draw.
      std::size_t i = 0;
      for (std::size_t j = 0; j < count; ++j) i += weights_[j] <= draw ? 1 : 0;
      // A draw that rounds up to the total: the original takes the last candidate.
      const std::size_t k = i == count        ? candidates - 1
                            : cone != nullptr ? cone->index[open_[i]]
                                              : open_[i];
      Point head{pivot.y + geo_.ring[k].y, pivot.x + geo_.ring[k].x};
      const PaddleMask* mask = geo_.ring_mask(k);
      if (canvas_.collides(*mask, head.y, head.x)) continue;
      if (other != nullptr && other->pending != nullptr &&
          masks_overlap(*mask, head.y, head.x, *other->pending, other->pending_anchor.y,
                        other->pending_anchor.x)) {
        continue;
      }
      canvas_.occupy(*snake.pending, snake.pending_anchor.y, snake.pending_anchor.x);
      snake.pending = mask;
      snake.pending_anchor = head;
      const double near_y = head.y - length * geo_.ring_sin[k],
                   near_x = head.x - length * geo_.ring_cos[k];
      snake.paddles.push_back({static_cast<float>(near_y), static_cast<float>(near_x),
                               static_cast<float>(head.y), static_cast<float>(head.x)});
      snake.contrasts.push_back(contrast);
      snake.pivot = pivot;
      snake.orientation = geo_.ring_angle[k];
      snake.ring_index = static_cast<int>(k);
      return true;
    }
    return false;
  }

  // Cumulative weights (weights_) of the points around `pivot` whose ends are clear
  // (indices in open_); returns how many. The original's sums run over every candidate,
  // adding 0 for blocked ones; summing the open ones only gives the same numbers, and a
  // draw never lands on a blocked candidate (its cumulative weight equals the one before).
  std::size_t open_weights(Point pivot, const PointOffsets& points, const double* weight) {
    const std::size_t count = canvas_.free_points(pivot.y, pivot.x, points, open_.data());
    double total = 0;
    for (std::size_t i = 0; i < count; ++i) weights_[i] = total += weight[open_[i]];
    return count;
  }

  void finish(Snake& snake) {
    canvas_.occupy(*snake.pending, snake.pending_anchor.y, snake.pending_anchor.x);
    snake.pending = nullptr;
  }

  void draw(const Snake& snake) {
    for (std::size_t k = 0; k < snake.paddles.size(); ++k) {
      canvas_.draw_paddle(snake.paddles[k], o_.paddle_thickness, snake.contrasts[k]);
    }
  }

  // two_snakes: both target snakes, grown one paddle each in turn.
  bool targets(std::array<Snake, 2>& snakes) {
    // Two different entries of the contrast list written twice (the original's
    // random.sample(contrasts * 2, 2)).
    const std::size_t n = o_.snake_contrasts.size();
    std::size_t first = uniform_below(rng_, 2 * n);
    std::size_t second = uniform_below(rng_, 2 * n - 1);
    if (second >= first) ++second;
    const double mu[2] = {o_.snake_contrasts[first % n], o_.snake_contrasts[second % n]};
    if (!target_seeds(snakes, mu)) return false;
    for (int k = 1; k < o_.contour_length; ++k) {
      double contrast = pick(o_.paddle_contrasts, rng_);
      for (int s = 0; s < 2; ++s) {
        if (!extend(snakes[s], contrast * mu[s], &snakes[1 - s])) return false;
      }
    }
    finish(snakes[0]);
    finish(snakes[1]);
    return true;
  }

  // initialize_two_seeds: the first tail uniformly where its paddle stays 2 * seed_distance
  // px from the border; the second seed_distance px from it in a random direction.
  bool target_seeds(std::array<Snake, 2>& snakes, const double mu[2]) {
    const int border = std::max(o_.padding, 2 * o_.seed_distance);
    const int n = canvas_.size();
    Point tail1;
    bool placed = false;
    double contrast = pick(o_.paddle_contrasts, rng_) * mu[0];
    for (int trial = 0; trial <= o_.max_paddle_retrial && !placed; ++trial) {
      const int degrees = random_degrees(rng_);
      const PaddleMask& mask = *geo_.seed_mask(degrees);
      int y_low = border - mask.min_dy, y_high = n - 1 - border - mask.max_dy;
      int x_low = border - mask.min_dx, x_high = n - 1 - border - mask.max_dx;
      if (y_low > y_high || x_low > x_high) return false;  // no room at all
      tail1 = {y_low + static_cast<int>(uniform_below(rng_, y_high - y_low + 1)),
               x_low + static_cast<int>(uniform_below(rng_, x_high - x_low + 1))};
      placed = seed(snakes[0], tail1, degrees, contrast, &mask);
    }
    if (!placed) return false;
    contrast = pick(o_.paddle_contrasts, rng_) * mu[1];
    for (int trial = 0; trial <= o_.max_paddle_retrial; ++trial) {
      const int degrees = random_degrees(rng_);
      double direction = static_cast<double>(uniform_below(rng_, 360)) * kPi / 180;
      Point tail2{static_cast<int>(std::nearbyint(tail1.y + o_.seed_distance * std::sin(direction))),
                  static_cast<int>(std::nearbyint(tail1.x + o_.seed_distance * std::cos(direction)))};
      const PaddleMask* mask = geo_.seed_mask(degrees);
      // Not in the original: the second seed must not touch the first.
      if (canvas_.collides(*mask, tail2.y, tail2.x) ||
          masks_overlap(*mask, tail2.y, tail2.x, *snakes[0].pending, snakes[0].pending_anchor.y,
                        snakes[0].pending_anchor.x)) {
        continue;
      }
      if (seed(snakes[1], tail2, degrees, contrast, mask)) return true;
    }
    return false;
  }

  // make_snake: a distractor seeded uniformly where its paddle fits (tried by rejection:
  // a random pixel, accepted when the paddle's mask is free), then extended. A failure
  // leaves the canvas as it was (at its checkpoint).
  bool distractor(Snake& snake, int paddles) {
    if (1.0 - canvas_.occupied_fraction() < 0.01) return false;  // stop_with_availability
    const int n = canvas_.size();
    bool placed = false;
    for (int trial = 0; trial <= o_.max_paddle_retrial && !placed; ++trial) {
      const int degrees = random_degrees(rng_);
      const PaddleMask& mask = *geo_.seed_mask(degrees);
      bool found = false;
      Point tail;
      for (int k = 0; k < kSeedTries && !found; ++k) {
        tail = {static_cast<int>(uniform_below(rng_, n)), static_cast<int>(uniform_below(rng_, n))};
        found = tail.y + mask.min_dy >= 1 && tail.x + mask.min_dx >= 1 &&
                tail.y + mask.max_dy <= n - 2 && tail.x + mask.max_dx <= n - 2 &&
                !canvas_.collides(mask, tail.y, tail.x);
      }
      if (!found) return false;  // "mask fully occupied"
      placed = seed(snake, tail, degrees, pick(o_.snake_contrasts, rng_), &mask);
    }
    if (!placed) return false;
    for (int k = 1; k < paddles; ++k) {
      if (!extend(snake, pick(o_.snake_contrasts, rng_))) {
        canvas_.rollback();
        return false;
      }
    }
    finish(snake);
    canvas_.checkpoint();
    return true;
  }

 private:
  const PathfinderOptions& o_;
  PathfinderCanvas& canvas_;
  std::mt19937_64& rng_;
  GrowthGeometry& geo_;
  int margin_;
  std::vector<std::size_t> open_;  // candidates whose ends are clear (room for the whole ring)
  std::vector<double> weights_;    // cumulative weights of the open candidates
};

}  // namespace

int PathfinderOptions::distractor_snakes() const {
  return distractor_length() > 0 ? distractor_budget / distractor_length() : 0;
}

std::uint64_t pathfinder_image_seed(std::uint64_t seed, std::uint64_t index) {
  return mix64(mix64(seed ^ 0x7061746866696e64ull) ^ mix64(index));
}

PathfinderSample generate_pathfinder(const PathfinderOptions& options, std::uint64_t seed,
                                     std::uint64_t index) {
  validate_pathfinder_options(options);
  std::mt19937_64 rng(pathfinder_image_seed(seed, index));
  PathfinderSample sample;
  sample.label = static_cast<std::int64_t>(uniform_below(rng, 2));
  sample.margin = pick(options.paddle_margins, rng);
  PathfinderCanvas& canvas = reusable_canvas(options.window_px, sample.margin);
  Grower grower(options, canvas, rng, growth_geometry(options, sample.margin));

  // The image stays blank until a pair fits; a failed pair is rolled back, so the canvas
  // is reset once per image.
  canvas.reset(options.padding);
  std::array<Snake, 2> targets;
  for (sample.attempts = 1;; ++sample.attempts) {
    if (sample.attempts > options.max_image_attempts) {
      fail(
          "pathfinder: cannot place two snakes of {} paddles (paddle {} px, margin {} px) in a "
          "{} px image (preset {}) after {} attempts (image {}); expected a shorter length "
          "or a larger size",
          options.contour_length, options.paddle_length, sample.margin, options.window_px,
          options.preset, options.max_image_attempts, index);
    }
    if (grower.targets(targets)) break;
    canvas.rollback();
    for (Snake& snake : targets) snake.pending = nullptr;
  }
  canvas.checkpoint();
  grower.draw(targets[0]);
  grower.draw(targets[1]);

  const int paddles = options.distractor_length();
  for (int d = 0; d < options.distractor_snakes(); ++d) {
    for (int trial = 0; trial <= options.max_distractor_retrial; ++trial) {
      Snake snake;
      if (grower.distractor(snake, paddles)) {
        grower.draw(snake);
        sample.distractors.push_back(std::move(snake.paddles));
        break;
      }
    }
  }

  const int origin = static_cast<int>(uniform_below(rng, 2));
  const int terminal = sample.label == 1 ? origin : 1 - origin;
  const PathfinderPaddle& first = targets[origin].paddles.front();
  const PathfinderPaddle& last = targets[terminal].paddles.back();
  sample.markers = {{{first.y0, first.x0}, {last.y1, last.x1}}};
  for (const auto& marker : sample.markers)
    canvas.draw_disk(marker[0], marker[1], options.marker_radius);
  sample.targets = {std::move(targets[0].paddles), std::move(targets[1].paddles)};
  sample.pixels = canvas.to_bytes();
  return sample;
}

}  // namespace ventral::stimuli
