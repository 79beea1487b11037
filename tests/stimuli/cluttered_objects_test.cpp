// The ground-truth alignment set's generator: determinism per (seed, index), the cue's
// agreement with the label as set, the cue placed clear of the object, the human map being
// the object, and the option checks.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/error.h"
#include "stimuli/cluttered_objects.h"

using namespace ventral::stimuli;

namespace {

// 20 items of 8 x 8: a filled square of side 2 + label % 5 with a distinct label.
ObjectPool square_pool() {
  ObjectPool pool;
  pool.item_side = 8;
  pool.classes = 10;
  for (int i = 0; i < 20; ++i) {
    const int side = 2 + i % 5;
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) pool.pixels.push_back(y < side && x < side ? 255 : 0);
    pool.labels.push_back(i % 10);
  }
  return pool;
}

}  // namespace

TEST_CASE("cluttered objects: one image per (seed, index), labels from the pool", "[stimuli]") {
  const auto pool = square_pool();
  const auto o = cluttered_options_for_side(48);
  validate_cluttered_options(o, pool);
  const auto a = make_cluttered_object(pool, o, 3, 17), b = make_cluttered_object(pool, o, 3, 17);
  CHECK(a.rgb == b.rgb);
  CHECK(a.map == b.map);
  CHECK(a.label == pool.labels[17]);
  CHECK(a.object == 17);
  CHECK(make_cluttered_object(pool, o, 4, 17).rgb != a.rgb);
  CHECK(make_cluttered_object(pool, o, 3, 37).object == 17);  // index mod pool size
}

TEST_CASE("cluttered objects: the cue agrees with the label at the set rate, or not at all",
          "[stimuli]") {
  const auto pool = square_pool();
  auto o = cluttered_options_for_side(48);
  o.cue_agreement = 0.8;
  int agree = 0;
  const int n = 2000;
  for (int i = 0; i < n; ++i)
    agree += make_cluttered_object(pool, o, 1, i).cue_class == pool.labels[i % 20];
  CHECK(std::abs(agree / double(n) - 0.8) < 0.03);  // binomial sd 0.009
  o.cue = CueMode::shuffled;
  agree = 0;
  for (int i = 0; i < n; ++i)
    agree += make_cluttered_object(pool, o, 1, i).cue_class == pool.labels[i % 20];
  CHECK(std::abs(agree / double(n) - 0.1) < 0.03);
  o.cue = CueMode::absent;
  CHECK(make_cluttered_object(pool, o, 1, 0).cue_class == -1);
}

TEST_CASE("cluttered objects: the cue lies off the object and the map is the object", "[stimuli]") {
  const auto pool = square_pool();
  auto with = cluttered_options_for_side(64);
  auto without = with;
  without.cue = CueMode::absent;
  for (int i = 0; i < 50; ++i) {
    const auto a = make_cluttered_object(pool, with, 9, i),
               b = make_cluttered_object(pool, without, 9, i);
    REQUIRE(a.map == b.map);  // the same image but for the cue
    float peak = 0, at_cue = 0;
    int differing = 0;
    for (std::size_t p = 0; p < a.map.size(); ++p) {
      peak = std::max(peak, a.map[p]);
      const bool differs = a.rgb[3 * p] != b.rgb[3 * p] || a.rgb[3 * p + 1] != b.rgb[3 * p + 1] ||
                           a.rgb[3 * p + 2] != b.rgb[3 * p + 2];
      if (differs) {
        ++differing;
        at_cue = std::max(at_cue, a.map[p]);
      }
    }
    CHECK(differing <= with.cue_side * with.cue_side);
    CHECK(peak > 100.0f);         // the map is 0..255 like a released ClickMe heatmap
    CHECK(at_cue < 0.1f * peak);  // and near zero on the cue
  }
}

TEST_CASE("cluttered objects: settings that cannot make an image are named", "[stimuli]") {
  const auto pool = square_pool();
  CHECK_THROWS_WITH(validate_cluttered_options(cluttered_options_for_side(20), pool),
                    Catch::Contains("20 px"));
  auto o = cluttered_options_for_side(64);
  o.cue_agreement = 1.5;
  CHECK_THROWS_WITH(validate_cluttered_options(o, pool), Catch::Contains("1.5"));
  auto bad = pool;
  bad.labels[3] = 12;
  CHECK_THROWS_WITH(validate_cluttered_options(cluttered_options_for_side(64), bad),
                    Catch::Contains("12"));
  ObjectPool empty;
  CHECK_THROWS_WITH(validate_cluttered_options(o, empty), Catch::Contains("empty"));
}
