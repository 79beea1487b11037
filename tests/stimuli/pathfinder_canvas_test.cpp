// The Pathfinder canvas keeps its occupancy as bit planes; these tests hold every query
// to a brute-force answer over the occupied pixels themselves.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <random>
#include <utility>
#include <vector>

#include "common/error.h"
#include "stimuli/pathfinder.h"
#include "stimuli/pathfinder_canvas.h"

using namespace ventral::stimuli;

namespace {

using Pixels = std::vector<std::pair<int, int>>;

Pixels mask_pixels(const PaddleMask& mask, int ay, int ax) {
  Pixels out;
  for (std::size_t r = 0; r < mask.rows.size(); ++r) {
    for (int j = 0; j < 64; ++j) {
      if ((mask.rows[r] >> j) & 1u)
        out.emplace_back(ay + mask.min_dy + static_cast<int>(r), ax + mask.min_dx + j);
    }
  }
  return out;
}

// A random paddle mask (length 2-9 px, any angle, radius 0.5-3) anchored at its tail.
PaddleMask random_mask(std::mt19937& rng) {
  std::uniform_real_distribution<double> angle(-3.14159, 3.14159), radius(0.5, 3.0);
  std::uniform_int_distribution<int> length(2, 9);
  const double a = angle(rng);
  const int l = length(rng);
  PaddleMask mask;
  paddle_mask(0, 0, l * std::sin(a), l * std::cos(a), radius(rng), 0, 0, &mask);
  return mask;
}

}  // namespace

TEST_CASE("pathfinder canvas: bit planes agree with brute force, near the borders too", "[stimuli]") {
  for (int size : {20, 64, 70, 130}) {
    for (int clearance : {0, 1, 3}) {
      INFO("size " << size << " clearance " << clearance);
      std::mt19937 rng(static_cast<unsigned>(size * 10 + clearance));
      std::uniform_int_distribution<int> where(-6, size + 5);
      auto in = [&](int y, int x) { return y >= 0 && x >= 0 && y < size && x < size; };
      PathfinderCanvas canvas(size, clearance);
      canvas.reset(1);
      std::vector<std::vector<bool>> truth(size, std::vector<bool>(size, false));
      for (int y = 0; y < size; ++y) {
        for (int x = 0; x < size; ++x) truth[y][x] = y < 1 || x < 1 || y >= size - 1 || x >= size - 1;
      }
      auto saved = truth;
      for (int step = 0; step < 60; ++step) {
        PaddleMask mask = random_mask(rng);
        if (step % 2 == 0) add_clearance(&mask, clearance);  // both occupy paths
        const int ay = where(rng), ax = where(rng);
        bool touches = false;
        for (auto [y, x] : mask_pixels(mask, ay, ax)) touches = touches || (in(y, x) && truth[y][x]);
        REQUIRE(canvas.collides(mask, ay, ax) == touches);
        canvas.occupy(mask, ay, ax);
        for (auto [y, x] : mask_pixels(mask, ay, ax)) {
          if (in(y, x)) truth[y][x] = true;
        }
        if (step == 20) {
          canvas.checkpoint();
          saved = truth;
        }
        if (step == 40) {
          canvas.rollback();  // steps 21-40 undone
          truth = saved;
        }
      }
      std::vector<std::pair<int, int>> offsets;
      std::vector<bool> expected;
      for (int y = -2; y < size + 2; ++y) {
        for (int x = -2; x < size + 2; ++x) {
          bool free = in(y, x);
          for (int dy = -clearance; dy <= clearance && free; ++dy) {
            for (int dx = -clearance; dx <= clearance && free; ++dx) {
              if (dy * dy + dx * dx <= clearance * clearance && in(y + dy, x + dx) &&
                  truth[y + dy][x + dx]) {
                free = false;
              }
            }
          }
          INFO("at " << y << "," << x);
          REQUIRE(canvas.free_near(y, x) == free);
          offsets.emplace_back(y - size / 2, x - size / 2);
          expected.push_back(free);
        }
      }
      // free_points over the same points as offsets from the centre: all of them (some
      // outside the image: the checked path), and those of a box inside the image (the
      // unchecked bit-index path).
      auto check_free_points = [&](bool interior) {
        std::vector<std::pair<int, int>> points;
        std::vector<std::size_t> want;
        const int reach = size / 2 - 1;
        for (std::size_t k = 0; k < offsets.size(); ++k) {
          const auto [dy, dx] = offsets[k];
          if (interior && (std::abs(dy) > reach || std::abs(dx) > reach)) continue;
          if (expected[k]) want.push_back(points.size());
          points.push_back(offsets[k]);
        }
        std::vector<std::size_t> open(points.size());
        const std::size_t count = canvas.free_points(size / 2, size / 2, PointOffsets(points),
                                                     open.data());
        INFO((interior ? "interior" : "all") << " points");
        CHECK(std::vector<std::size_t>(open.begin(),
                                       open.begin() + static_cast<std::ptrdiff_t>(count)) == want);
        if (size >= 64) {  // room for both answers (20 px with clearance 3 fills up)
          CHECK(!want.empty());
          CHECK(want.size() < points.size());
        }
      };
      check_free_points(false);
      check_free_points(true);

      auto pixels = [](const std::vector<std::vector<bool>>& plane) {
        std::size_t n = 0;
        for (const auto& row : plane) {
          for (bool v : row) n += v ? 1 : 0;
        }
        return static_cast<double>(n);
      };
      // As of the last rollback until the next checkpoint.
      CHECK(canvas.occupied_fraction() == Approx(pixels(saved) / (size * size)));
      canvas.checkpoint();
      CHECK(canvas.occupied_fraction() == Approx(pixels(truth) / (size * size)));
    }
  }
}

TEST_CASE("pathfinder canvas: mask overlap and clearance rows against brute force", "[stimuli]") {
  std::mt19937 rng(3);
  std::uniform_int_distribution<int> shift(-12, 12);
  for (int trial = 0; trial < 400; ++trial) {
    PaddleMask a = random_mask(rng), b = random_mask(rng);
    const int by = shift(rng), bx = shift(rng);
    bool shared = false;
    for (auto p : mask_pixels(a, 0, 0)) {
      for (auto q : mask_pixels(b, by, bx)) shared = shared || p == q;
    }
    REQUIRE(masks_overlap(a, 0, 0, b, by, bx) == shared);
    REQUIRE(masks_overlap(b, by, bx, a, 0, 0) == shared);
  }
  PaddleMask dot;
  paddle_mask(0, 0, 0, 0, 0.5, 0, 0, &dot);  // one pixel
  REQUIRE(dot.rows.size() == 1);
  add_clearance(&dot, 2);  // the disk of radius 2: 13 pixels in rows of 1, 3, 5, 3, 1
  const std::vector<std::uint64_t> disk = {0b00100, 0b01110, 0b11111, 0b01110, 0b00100};
  CHECK(dot.near_rows == disk);
  PaddleMask wide;
  REQUIRE_THROWS_WITH(paddle_mask(0, 0, 0, 60, 1, 0, 0, &wide), Catch::Contains("wider than 48 px"));
  auto options = pathfinder_preset("lra64", 6);
  options.paddle_margins = {9};
  REQUIRE_THROWS_WITH(validate_pathfinder_options(options), Catch::Contains("[0, 8]"));
}
