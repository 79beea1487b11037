// IT-patch protocol: resampling weights by hand, the published inter-site ceiling by
// hand, and the nested protocol choosing the generating layer on synthetic recordings.
#include <catch2/catch.hpp>

#include <cmath>

#include "common/h5_file.h"
#include "neural_fit/patch_protocol.h"
#include "neural_fit/resample.h"
#include "neural_fit/simulate.h"
#include "tests/neural_fit/reference_fixture.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;

TEST_CASE("Area average when shrinking, half-pixel bilinear when growing", "[neural_fit]") {
  Matrix down = nf::axis_resample_weights(4, 2);
  Matrix want_down(2, 4);
  want_down << 0.5, 0.5, 0, 0, 0, 0, 0.5, 0.5;
  REQUIRE((down - want_down).cwiseAbs().maxCoeff() < 1e-15);
  Matrix up = nf::axis_resample_weights(2, 4);
  Matrix want_up(4, 2);
  want_up << 1, 0, 0.75, 0.25, 0.25, 0.75, 0, 1;
  REQUIRE((up - want_up).cwiseAbs().maxCoeff() < 1e-15);
  float map[2 * 2 * 2] = {1, 2, 3, 4, 10, 20, 30, 40};  // C=2, 2x2
  Matrix g = nf::resample_to_grid(map, 2, 2, 2, 1);     // 1x1 grid: means
  REQUIRE(g(0, 0) == Approx(2.5));
  REQUIRE(g(0, 1) == Approx(25));
}

TEST_CASE("Best inter-site agreement ceiling by hand", "[neural_fit]") {
  nf::PatchData d;
  d.grid = 2;
  d.sites = 3;
  Matrix a(4, 3), b(4, 3);
  a << 1, 1, 0, 2, 2, 5, 3, 4, 1, 4, 3, 2;  // site maps row-major: rows (1,2),(3,4) vs (1,2),(4,3)
  b << 1, 2, 0, 2, 4, 0, 1, 3, 0, 2, 5, 1;  // rows agree perfectly: r = 1 in both rows
  d.maps = {a, b};
  // image a: row 0 r = 1, row 1 r = -1 -> 0; image b: 1; only pair (0, 1) (first R-1 sites)
  REQUIRE(nf::best_inter_site_ceiling(d) == Approx(0.5));
}

TEST_CASE("Nested leave-one-image-out chooses the generating layer", "[neural_fit]") {
  const Index images = 6, grid = 5, sites = 4, reps = 4, channels = 3, side = 8;
  std::string dir = nf::testing::scratch_dir();
  Matrix good = nf::standard_normal(images, channels * side * side, 1);
  Matrix bad = nf::standard_normal(images, channels * side * side, 2);
  Matrix weights = nf::standard_normal(channels, sites, 3);
  Matrix noise = nf::standard_normal(images * grid * grid * sites, reps, 4);
  std::vector<float> responses;
  for (Index i = 0; i < images; ++i) {
    nf::FeatureMatrix row = good.row(i).cast<float>();
    Matrix signal = nf::resample_to_grid(row.data(), channels, side, side, grid) * weights;
    for (Index p = 0; p < grid * grid; ++p) {
      for (Index s = 0; s < sites; ++s) {
        for (Index r = 0; r < reps; ++r) {
          responses.push_back(
              static_cast<float>(signal(p, s) + 0.3 * noise(((i * grid * grid) + p) * sites + s, r)));
        }
      }
    }
  }
  std::vector<std::string> ids;
  for (Index i = 0; i < images; ++i) ids.push_back("face" + std::to_string(i));
  {
    auto f = ventral::h5::File::create(dir + "/patch.h5");
    f.write_float("responses",
                  {std::size_t(images), std::size_t(grid), std::size_t(grid), std::size_t(sites),
                   std::size_t(reps)},
                  responses.data());
    f.write_strings("stimulus_id", ids);
    auto feats = ventral::h5::File::create(dir + "/features.h5");
    feats.write_strings("stimulus_id", ids);
    nf::FeatureMatrix g = good.cast<float>(), b = bad.cast<float>();
    feats.write_float("good",
                      {std::size_t(images), std::size_t(channels), std::size_t(side), std::size_t(side)},
                      g.data());
    feats.write_float("bad",
                      {std::size_t(images), std::size_t(channels), std::size_t(side), std::size_t(side)},
                      b.data());
  }
  auto data = nf::read_patch_data(dir + "/patch.h5");
  REQUIRE(data.reps == reps);
  nf::FeatureFile features(dir + "/features.h5");
  nf::PatchOptions options;
  options.pls.n_components = 3;
  auto result = nf::run_patch_protocol(features, {"bad", "good"}, data, options);
  REQUIRE(result.chosen_layer == std::vector<std::string>(images, "good"));
  REQUIRE(result.score.raw > 0.9);
  REQUIRE(result.layers.at(0).mean < 0.5);
  REQUIRE(result.split_half.available);
  REQUIRE(result.split_half.value > 0.9);
  REQUIRE(std::isfinite(result.published_ceiling));
  REQUIRE(result.score.ceiling == result.split_half.value);
}

TEST_CASE("Patch data errors", "[neural_fit]") {
  std::string dir = nf::testing::scratch_dir();
  {
    auto f = ventral::h5::File::create(dir + "/bad.h5");
    std::vector<float> v(3 * 4 * 5 * 2, 1.0f);
    f.write_float("responses", {3, 4, 5, 2}, v.data());
    f.write_strings("stimulus_id", {"a", "b", "c"});
    auto g = ventral::h5::File::create(dir + "/two.h5");
    g.write_float("responses", {2, 4, 4, 2}, v.data());
    g.write_strings("stimulus_id", {"a", "b"});
  }
  REQUIRE_THROWS_WITH(nf::read_patch_data(dir + "/bad.h5"), Catch::Contains("grid 4x5 is not square"));
  REQUIRE_THROWS_WITH(nf::read_patch_data(dir + "/two.h5"), Catch::Contains("needs >= 3 images"));
}
