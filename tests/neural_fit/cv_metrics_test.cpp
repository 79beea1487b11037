// Splits, Pearson, aggregation and the ceiled conventions against hand-computed values.
#include <catch2/catch.hpp>

#include <cmath>
#include <map>
#include <set>

#include "common/error.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/metric.h"
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

TEST_CASE("Spearman ranks ties by their average; explained variance ignores offsets", "[neural_fit]") {
  Matrix pred(4, 3), obs(4, 3);
  pred << 1, 1, 5, 2, 4, 5, 2, 9, 5, 3, 16, 5;
  obs << 10, 1, 1, 20, 2, 2, 30, 3, 3, 40, 4, 4;
  nf::Vector rho = nf::spearman_columns(pred, obs);
  // ranks 1, 2.5, 2.5, 4 against 1..4: r = 4.5 / sqrt(4.5 * 5) = sqrt(0.9) (scipy: 0.9486832980505138)
  REQUIRE(rho(0) == Approx(std::sqrt(0.9)).epsilon(1e-14));
  REQUIRE(rho(1) == Approx(1.0));  // monotone, not linear: Pearson would be below 1
  REQUIRE(nf::pearson_columns(pred, obs)(1) < 0.99);
  REQUIRE(std::isnan(rho(2)));

  Matrix p2(4, 3), o2(4, 3);
  p2 << 1, 8, 0, 2, 9, 1, 3, 10, 2, 5, 11, 3;
  o2 << 1, 1, 2, 2, 2, 2, 3, 3, 2, 4, 4, 2;
  nf::Vector ev = nf::explained_variance_columns(p2, o2);
  // residual 0, 0, 0, -1: sum of squares about its mean 0.75; observed 5 -> 1 - 0.75 / 5
  REQUIRE(ev(0) == Approx(0.85).epsilon(1e-14));
  REQUIRE(ev(1) == Approx(1.0));  // predictions off by +7 everywhere: the offset is not penalised
  REQUIRE(std::isnan(ev(2)));     // constant responses: undefined
}

TEST_CASE("Metric parts are registered by name", "[neural_fit]") {
  REQUIRE(nf::correlation_names() ==
          std::vector<std::string>{"pearson", "spearman", "explained_variance"});
  REQUIRE(nf::aggregation_names() == std::vector<std::string>{"median", "mean"});
  REQUIRE(nf::correlation_named("spearman") == &nf::spearman_columns);
  REQUIRE(nf::aggregation_named("mean") == &nf::nan_mean);
  REQUIRE_THROWS_WITH(nf::correlation_named("kendall"),
                      "unknown correlation 'kendall'; known: pearson, spearman, explained_variance");
  REQUIRE_THROWS_AS(nf::aggregation_named("max"), ventral::Error);
  REQUIRE_THROWS_AS(nf::check_metric({"lasso", "pearson", "median"}), ventral::Error);
  REQUIRE_NOTHROW(nf::check_metric({}));
  Matrix per(2, 3);
  per << 0.1, 0.5, 0.6, 0.2, NAN, 0.4;
  nf::Score s = nf::make_score(per, 0.8, nf::aggregation_named("mean"));
  REQUIRE(s.per_split[0] == Approx(0.4));
  REQUIRE(s.per_split[1] == Approx(0.3));
  REQUIRE(s.raw == Approx(0.35));
  REQUIRE(s.undefined_correlations == 1);
}

TEST_CASE("NaN-skipping median, mean and standard error", "[neural_fit]") {
  nf::Vector v(5);
  v << 3, NAN, 1, 4, 2;
  Index skipped = 0;
  REQUIRE(nf::nan_median(v, &skipped) == 2.5);
  REQUIRE(skipped == 1);
  REQUIRE(nf::nan_mean(v, &skipped) == 2.5);
  REQUIRE(skipped == 1);
  REQUIRE(std::isnan(nf::nan_mean(nf::Vector::Constant(2, NAN))));
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
