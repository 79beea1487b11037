// Splits, Pearson, aggregation and the ceiled conventions against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "common/error.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/metrics.h"
#include "neural_fit/score.h"
#include "tests/neural_fit/reference_fixture.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;

TEST_CASE("Pearson per column, NaN for constant columns", "[neural_fit]") {
  Matrix a(4, 3), b(4, 3);
  a << 1, 1, 2, 2, 2, 2, 3, 3, 2, 4, 4, 2;
  b << 2, 4, 1, 4, 3, 2, 6, 2, 3, 8, 1, 4;
  nf::Vector r = nf::pearson_columns(a, b);
  REQUIRE(r(0) == Approx(1.0));
  // a1 = 1,2,3,4 ; b1 = 4,3,2,1 -> -1
  REQUIRE(r(1) == Approx(-1.0));
  REQUIRE(std::isnan(r(2)));
}

TEST_CASE("NaN-skipping median, mean and standard error", "[neural_fit]") {
  nf::Vector v(5);
  v << 3, NAN, 1, 4, 2;
  Index skipped = 0;
  REQUIRE(nf::nan_median(v, &skipped) == 2.5);
  REQUIRE(skipped == 1);
  REQUIRE(nf::mean({1, 2, 3, 6}) == 3);
  // population std of {1,2,3,6} = sqrt(3.5), / sqrt(4)
  REQUIRE(nf::standard_error({1, 2, 3, 6}) == Approx(std::sqrt(3.5) / 2));
  REQUIRE(nf::spearman_brown(0.5) == Approx(2.0 / 3.0));
}

TEST_CASE("Ceiled scores in all three conventions", "[neural_fit]") {
  auto c = nf::ceil_score(0.584053, 0.821841);  // AlexNet IT, docs/reference/scoring.md sec. 4.8
  REQUIRE(c.ratio == Approx(0.584053 / 0.821841));
  REQUIRE(c.ev2019 == Approx(0.5050).margin(1e-4));
  REQUIRE(c.ev2026 == Approx(0.4151).margin(1e-4));
  REQUIRE(std::isnan(nf::ceil_score(0.5, NAN).ev2026));
  Matrix per(2, 3);
  per << 0.1, 0.5, 0.3, 0.2, NAN, 0.4;
  nf::Score s = nf::make_score(per, 0.8);
  REQUIRE(s.per_split[0] == Approx(0.3));
  REQUIRE(s.per_split[1] == Approx(0.3));
  REQUIRE(s.raw == Approx(0.3));
  REQUIRE(s.sem == Approx(0.0).margin(1e-15));
  REQUIRE(s.undefined_correlations == 1);
  REQUIRE(s.headline() == Approx(0.09 / 0.8));
}

TEST_CASE("Shuffle splits: sizes, disjoint, seeded", "[neural_fit]") {
  auto splits = nf::shuffle_splits(3200, {10, 0.9, 1});
  REQUIRE(splits.size() == 10);
  for (const auto& s : splits) {
    REQUIRE(s.train.size() == 2880);
    REQUIRE(s.test.size() == 320);
    std::set<Index> all(s.train.begin(), s.train.end());
    all.insert(s.test.begin(), s.test.end());
    REQUIRE(all.size() == 3200);
  }
  REQUIRE(splits[0].test != splits[1].test);
  REQUIRE(nf::shuffle_splits(3200, {10, 0.9, 1})[3].test == splits[3].test);
  REQUIRE(nf::shuffle_splits(3200, {10, 0.9, 2})[3].test != splits[3].test);
  REQUIRE_THROWS_AS(nf::shuffle_splits(2, {10, 0.9, 1}), ventral::Error);
}

TEST_CASE("Stratified splits keep each class's share", "[neural_fit]") {
  std::vector<std::string> labels;
  for (int i = 0; i < 2560; ++i) labels.push_back("obj" + std::to_string(i % 64));  // 64 x 40
  auto splits = nf::stratified_splits(labels, {5, 0.9, 1});
  for (const auto& s : splits) {
    REQUIRE(s.test.size() == 256);
    REQUIRE(s.train.size() == 2304);
    std::map<std::string, int> per_class;
    for (Index i : s.test) per_class[labels[i]]++;
    REQUIRE(per_class.size() == 64);
    for (const auto& [label, count] : per_class) REQUIRE(count == 4);
  }
}

TEST_CASE("Splits files round-trip and reject bad contents", "[neural_fit]") {
  std::string dir = nf::testing::scratch_dir();
  std::vector<std::string> ids = {"a", "b", "c", "d", "e"};
  std::vector<nf::Split> splits = {{{0, 1, 2}, {3, 4}}, {{1, 3, 4}, {0, 2}}};
  nf::write_splits_file(dir + "/s.h5", ids, splits);
  // read back against a different order of our stimuli
  auto back = nf::read_splits_file(dir + "/s.h5", {"e", "d", "c", "b", "a"});
  REQUIRE(back[0].train == nf::Rows{2, 3, 4});
  REQUIRE(back[0].test == nf::Rows{0, 1});
  REQUIRE_THROWS_WITH(nf::read_splits_file(dir + "/s.h5", {"a", "b", "c", "d"}),
                      Catch::Contains("which the neural data lacks"));
  REQUIRE_THROWS_WITH(nf::read_splits_file(dir + "/none.h5", ids), Catch::Contains("cannot open"));
}
