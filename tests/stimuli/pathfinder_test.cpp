// Pathfinder generator: determinism per (seed, index), pinned image hashes, labels
// re-derived from the stored geometry, class balance, contour lengths per preset, drawn and
// anti-aliased pixels, and bad settings. The dataset adapter (ranges on threads, HDF5,
// specs) is tested in tests/data/pathfinder_dataset_test.cpp.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "common/error.h"
#include "stimuli/pathfinder.h"

using namespace ventral;
using namespace ventral::stimuli;

namespace {

// Which target snake has an end at (y, x): -1 when none.
int snake_with_end(const PathfinderSample& s, float y, float x) {
  for (int k = 0; k < 2; ++k) {
    const auto& first = s.targets[k].front();
    const auto& last = s.targets[k].back();
    if ((first.y0 == y && first.x0 == x) || (last.y1 == y && last.x1 == x)) return k;
  }
  return -1;
}

double paddle_length(const PathfinderPaddle& p) { return std::hypot(p.y1 - p.y0, p.x1 - p.x0); }

}  // namespace

TEST_CASE("pathfinder: same seed and index give the same bytes, another seed others", "[stimuli]") {
  auto options = pathfinder_preset("lra32", 9);
  auto a = generate_pathfinder(options, 7, 3);
  auto b = generate_pathfinder(options, 7, 3);
  CHECK(a.pixels == b.pixels);
  CHECK(a.label == b.label);
  CHECK(generate_pathfinder(options, 8, 3).pixels != a.pixels);
  CHECK(generate_pathfinder(options, 7, 4).pixels != a.pixels);
  // An image does not depend on the images made before it on the same thread (the
  // thread's cached canvas and geometry are reset per image).
  generate_pathfinder(pathfinder_preset("lra64", 14), 7, 3);
  CHECK(generate_pathfinder(options, 7, 3).pixels == a.pixels);
}

TEST_CASE("pathfinder: output pinned across speed-ups (hash of 300 images per setting)", "[stimuli]") {
  // FNV-1a over every pixel and label of images 0..299 with seed 7. The values were produced
  // by the generator before its mask, turn-weight and clearance caches were added, so these
  // pin that the caches change no image.
  auto digest = [](const char* preset, int length) {
    std::uint64_t h = 1469598103934665603ull;
    const auto options = pathfinder_preset(preset, length);
    for (int i = 0; i < 300; ++i) {
      const auto s = generate_pathfinder(options, 7, static_cast<std::uint64_t>(i));
      for (std::uint8_t p : s.pixels) {
        h ^= p;
        h *= 1099511628211ull;
      }
      h ^= static_cast<std::uint64_t>(s.label);
    }
    return h;
  };
  CHECK(digest("lra32", 14) == 0x4a5eb08f0b1b75a2ull);
  CHECK(digest("lra64", 9) == 0x301ff3ed6a93e7a2ull);
  CHECK(digest("lra128", 6) == 0x0adf90f141d8595eull);
}

TEST_CASE("pathfinder: markers on the same snake iff label 1; balance; contour lengths", "[stimuli]") {
  for (auto [preset, length] : {std::pair{"lra32", 14}, {"lra64", 6}, {"lra128", 9}, {"pathfinder300", 6}}) {
    INFO(preset << " length " << length);
    auto options = pathfinder_preset(preset, length);
    const int n = std::string(preset) == "pathfinder300" ? 40 : 200;
    int positives = 0;
    for (int i = 0; i < n; ++i) {
      const auto s = generate_pathfinder(options, 11, static_cast<std::uint64_t>(i));
      int a = snake_with_end(s, s.markers[0][0], s.markers[0][1]);
      int b = snake_with_end(s, s.markers[1][0], s.markers[1][1]);
      REQUIRE(a >= 0);
      REQUIRE(b >= 0);
      CHECK((a == b) == (s.label == 1));
      positives += static_cast<int>(s.label);
      for (const auto& target : s.targets) {
        REQUIRE(target.size() == static_cast<std::size_t>(length));
        for (std::size_t k = 0; k < target.size(); ++k) {
          CHECK(paddle_length(target[k]) == Approx(options.paddle_length).margin(1e-3));
          if (k == 0) continue;
          // Consecutive paddles are 2 * margin apart, give or take the rounding of the pivot
          // and of the far end to pixels (up to sqrt(2) px each).
          double gap = std::hypot(target[k].y0 - target[k - 1].y1, target[k].x0 - target[k - 1].x1);
          CHECK(gap <= 2 * s.margin + 2 * std::sqrt(2.0) + 1e-3);
        }
      }
      CHECK(s.distractors.size() <= static_cast<std::size_t>(options.distractor_snakes()));
      for (const auto& d : s.distractors) CHECK(d.size() == static_cast<std::size_t>(length / 3));
      // Markers are drawn: the pixel under each is bright.
      for (const auto& m : s.markers) {
        int y = static_cast<int>(m[0]), x = static_cast<int>(m[1]);
        CHECK(s.pixels[y * options.window_px + x] > 100);
      }
    }
    double fraction = static_cast<double>(positives) / n;
    CHECK(fraction > (n >= 200 ? 0.4 : 0.25));
    CHECK(fraction < (n >= 200 ? 0.6 : 0.75));
  }
}

TEST_CASE("pathfinder: integer division of the distractor settings", "[stimuli]") {
  CHECK(pathfinder_preset("pathfinder300", 6).distractor_snakes() == 15);
  CHECK(pathfinder_preset("pathfinder300", 9).distractor_snakes() == 10);
  CHECK(pathfinder_preset("pathfinder300", 14).distractor_snakes() == 7);
  CHECK(pathfinder_preset("lra32", 14).distractor_snakes() == 5);
  CHECK(pathfinder_preset("lra64", 14).distractor_snakes() == 5);
  CHECK(pathfinder_preset("lra128", 14).distractor_snakes() == 8);
  CHECK(pathfinder_preset("lra64", 2).distractor_snakes() == 0);
}

TEST_CASE("pathfinder: images are drawn and anti-aliased", "[stimuli]") {
  auto s = generate_pathfinder(pathfinder_preset("lra64", 6), 1, 0);
  int lit = 0, partial = 0, full = 0;
  for (auto v : s.pixels) {
    lit += v > 0;
    partial += v > 0 && v < 255;
    full += v == 255;
  }
  CHECK(lit > 200);       // two snakes of 6 paddles and distractors
  CHECK(partial > 100);   // edge pixels between background and stroke
  CHECK(full > 0);        // the scaled maximum
  CHECK(lit < 64 * 64 / 2);
}

TEST_CASE("pathfinder: bad settings name the problem", "[stimuli]") {
  auto too_long = pathfinder_preset("lra32", 200);
  too_long.max_image_attempts = 200;
  REQUIRE_THROWS_WITH(generate_pathfinder(too_long, 0, 0), Catch::Contains("cannot place two snakes of 200"));
  REQUIRE_THROWS_WITH(pathfinder_preset("lra65", 6), Catch::Contains("unknown preset 'lra65'"));
  REQUIRE_THROWS_WITH(pathfinder_preset_for_size(50), Catch::Contains("no preset for --size 50"));
  auto bad = pathfinder_preset("lra64", 6);
  bad.paddle_margins = {9};
  REQUIRE_THROWS_WITH(validate_pathfinder_options(bad), Catch::Contains("[0, 8] px, got 9"));
  bad = pathfinder_preset("lra64", 6);
  bad.window_px = -4;
  REQUIRE_THROWS_WITH(generate_pathfinder(bad, 0, 0),
                      Catch::Contains("size must be a positive number of px, got -4"));
}
