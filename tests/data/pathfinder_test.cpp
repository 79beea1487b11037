// Pathfinder generator: determinism per (seed, index), labels re-derived from the stored
// geometry, class balance, contour lengths per preset, drawn and anti-aliased pixels, the
// HDF5 round trip through open_dataset, the in-memory spec and bad settings.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "common/h5_file.h"
#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"
#include "training/data/pathfinder.h"
#include "training/data/pathfinder_dataset.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::TempFolder;

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

TEST_CASE("pathfinder: same seed and index give the same bytes, another seed others", "[data]") {
  auto options = pathfinder_preset("lra32", 9);
  auto a = generate_pathfinder(options, 7, 3);
  auto b = generate_pathfinder(options, 7, 3);
  CHECK(a.pixels == b.pixels);
  CHECK(a.label == b.label);
  CHECK(generate_pathfinder(options, 8, 3).pixels != a.pixels);
  CHECK(generate_pathfinder(options, 7, 4).pixels != a.pixels);
  // Threads and ranges do not change an image.
  auto range = generate_pathfinder_range(options, 7, 0, 8, 3);
  CHECK(range[3].pixels == a.pixels);
}

TEST_CASE("pathfinder: output pinned across speed-ups (hash of 300 images per setting)", "[data]") {
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

TEST_CASE("pathfinder: markers on the same snake iff label 1; balance; contour lengths", "[data]") {
  for (auto [preset, length] : {std::pair{"lra32", 14}, {"lra64", 6}, {"lra128", 9}, {"pathfinder300", 6}}) {
    INFO(preset << " length " << length);
    auto options = pathfinder_preset(preset, length);
    const int n = std::string(preset) == "pathfinder300" ? 40 : 200;
    auto samples = generate_pathfinder_range(options, 11, 0, n, 2);
    int positives = 0;
    for (const auto& s : samples) {
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

TEST_CASE("pathfinder: integer division of the distractor settings", "[data]") {
  CHECK(pathfinder_preset("pathfinder300", 6).distractor_snakes() == 15);
  CHECK(pathfinder_preset("pathfinder300", 9).distractor_snakes() == 10);
  CHECK(pathfinder_preset("pathfinder300", 14).distractor_snakes() == 7);
  CHECK(pathfinder_preset("lra32", 14).distractor_snakes() == 5);
  CHECK(pathfinder_preset("lra64", 14).distractor_snakes() == 5);
  CHECK(pathfinder_preset("lra128", 14).distractor_snakes() == 8);
  CHECK(pathfinder_preset("lra64", 2).distractor_snakes() == 0);
}

TEST_CASE("pathfinder: images are drawn and anti-aliased", "[data]") {
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

TEST_CASE("pathfinder: file round trip through h5: and the in-memory spec", "[data]") {
  TempFolder dir("pathfinder_h5");
  auto options = pathfinder_preset("lra32", 6);
  auto summary = write_pathfinder_h5(options, 5, 40, 2, dir / "pf.h5");
  CHECK(summary.images == 40);
  auto file = open_dataset("h5:" + dir / "pf.h5", "train");
  REQUIRE(file->size() == 40);
  CHECK(file->channels() == 1);
  CHECK(file->classes() == std::vector<std::string>{"different", "same"});
  auto memory = open_dataset("pathfinder:?length=6&size=32&count=40&seed=5", "train");
  REQUIRE(memory->size() == 40);
  CHECK(memory->channels() == 1);
  for (std::size_t i : {0u, 17u, 39u}) {
    auto sample = generate_pathfinder(options, 5, i);
    CHECK(file->label(i) == sample.label);
    CHECK(memory->label(i) == sample.label);
    auto image = file->load(i);
    CHECK((image.height == 32 && image.width == 32 && image.channels == 1));
    CHECK(image.pixels == sample.pixels);
    CHECK(memory->load(i).pixels == sample.pixels);
  }
  auto stored = h5::File::open_read(dir / "pf.h5");
  CHECK(stored.shape("snakes") == h5::Shape{40, 2, 6, 4});
  CHECK(stored.shape("markers") == h5::Shape{40, 2, 2});
  CHECK(stored.shape("distractors") == h5::Shape{40, 10, 2, 4});
  CHECK(stored.read_attribute("preset") == "lra32");
  CHECK(stored.read_attribute("contour_length") == "6");
  // val and test use derived seeds: other images.
  auto val = open_dataset("pathfinder:?length=6&size=32&count=4&seed=5", "val");
  CHECK(val->load(0).pixels != memory->load(0).pixels);
  CHECK(default_eval_split("pathfinder:?size=32") == "val");
}

TEST_CASE("pathfinder: bad settings name the problem", "[data]") {
  TempFolder dir("pathfinder_bad");
  auto too_long = pathfinder_preset("lra32", 200);
  too_long.max_image_attempts = 200;
  REQUIRE_THROWS_WITH(generate_pathfinder(too_long, 0, 0), Catch::Contains("cannot place two snakes of 200"));
  REQUIRE_THROWS_AS(write_pathfinder_h5(too_long, 0, 4, 1, dir / "x.h5"), Error);
  CHECK(!std::filesystem::exists(dir / "x.h5"));
  REQUIRE_THROWS_WITH(pathfinder_preset("lra65", 6), Catch::Contains("unknown preset 'lra65'"));
  REQUIRE_THROWS_WITH(pathfinder_preset_for_size(50), Catch::Contains("no preset for --size 50"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=0", "train"), Catch::Contains("size=0"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?count=-3", "train"), Catch::Contains("count=-3"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=32&colour=red", "train"), Catch::Contains("colour"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=32&count=2", "holdout"), Catch::Contains("unknown split"));
}
