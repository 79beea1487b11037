// Nested layer selection: the informative layer wins and scores as it does alone, and the
// choice on a split does not change whatever a layer's features are on that split's test
// stimuli (it never sees them).
#include <catch2/catch.hpp>

#include <random>

#include "neural_fit/cross_validation.h"
#include "neural_fit/layer_selection.h"

namespace nf = ventral::neural_fit;

namespace {

nf::NeuralTarget synthetic_target(const nf::Matrix& y, int splits) {
  nf::NeuralTarget target;
  for (nf::Index i = 0; i < y.rows(); ++i) target.data.stimulus_ids.push_back("s" + std::to_string(i));
  target.data.responses = y;
  target.ceiling.available = false;
  target.splits = nf::shuffle_splits(y.rows(), {splits, 0.9, 3});
  return target;
}

}  // namespace

TEST_CASE("nested cross-validation picks the layer that predicts, without seeing the test stimuli",
          "[neural_fit]") {
  std::mt19937 rng(1);
  std::normal_distribution<double> normal;
  const nf::Index n = 120, p = 6, neuroids = 8;
  nf::Matrix informative(n, p), noise(n, p), w(p, neuroids), y(n, neuroids);
  for (nf::Index i = 0; i < n; ++i)
    for (nf::Index j = 0; j < p; ++j) informative(i, j) = normal(rng), noise(i, j) = normal(rng);
  for (nf::Index i = 0; i < p; ++i)
    for (nf::Index j = 0; j < neuroids; ++j) w(i, j) = normal(rng);
  y = informative * w;
  for (nf::Index i = 0; i < n; ++i)
    for (nf::Index j = 0; j < neuroids; ++j) y(i, j) += 0.5 * normal(rng);
  const auto target = synthetic_target(y, 5);
  nf::FitOptions options;
  options.regression.pls.n_components = 4;

  const nf::FeatureDesign a(informative), b(noise);
  const auto nested = nf::nested_layer_score({{"noise", &b}, {"informative", &a}}, target, options, 4,
                                             nullptr);
  REQUIRE(nested.chosen.size() == 5u);
  for (const auto& layer : nested.chosen) CHECK(layer == "informative");
  REQUIRE(nested.inner.size() == 5u);
  CHECK(nested.inner[0][1] > nested.inner[0][0]);
  // the picked layer on every split: the same as scoring it alone
  const auto alone = nf::cross_validated_score(a, target, options, nullptr);
  CHECK(nested.score.raw == Approx(alone.raw).epsilon(1e-12));
  CHECK(alone.raw > 0.8);

  // the noise layer made perfect on split 0's test stimuli: split 0's inner scores are unchanged
  nf::Matrix leak = noise;
  for (nf::Index i : target.splits[0].test) leak.row(i) = informative.row(i) * 10.0;
  const nf::FeatureDesign c(leak);
  const auto leaked = nf::nested_layer_score({{"noise", &c}, {"informative", &a}}, target, options, 4,
                                             nullptr);
  CHECK(leaked.inner[0] == nested.inner[0]);
  CHECK(leaked.chosen[0] == "informative");
  CHECK_THROWS(nf::nested_layer_score({{"informative", &a}}, target, options, 1, nullptr));
}
