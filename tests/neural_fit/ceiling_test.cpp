// The split-half ceiling against the analytic reliability of simulated populations, and
// the fit of the generating features (near the ceiling) and of random features (near 0).
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include <cmath>

#include "neural_fit/ceiling.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/neural_h5.h"
#include "neural_fit/simulate.h"
#include "tests/neural_fit/reference_fixture.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;

namespace {

nf::FeatureMatrix low_rank_features(Index stimuli, Index p, std::uint64_t seed) {
  Matrix z = nf::standard_normal(stimuli, 8, seed);
  Matrix x = z * nf::standard_normal(8, p, seed + 1) + 0.2 * nf::standard_normal(stimuli, p, seed + 2);
  return x.cast<float>();
}

nf::NeuralAssembly write_and_read(const nf::Simulation& sim, Index stimuli,
                                  const nf::SimulationOptions& o) {
  nf::NeuralH5Contents c;
  c.responses = sim.responses;
  c.reps = o.reps;
  c.stimuli = stimuli;
  c.sites = o.sites;
  for (Index i = 0; i < stimuli; ++i) c.stimulus_id.push_back(fmt::format("im{:04d}", i));
  for (Index j = 0; j < o.sites; ++j) c.site_id.push_back(fmt::format("site{}", j));
  std::string path = nf::testing::scratch_dir() + "/sim.h5";
  nf::write_neural_h5(path, c);
  return nf::read_neural_h5(path, "");
}

}  // namespace

TEST_CASE("Analytic split-half ceiling formula", "[neural_fit]") {
  REQUIRE(nf::analytic_split_half_ceiling(10, 1.5) == Approx(1.0 / (1.0 + 2.25 / 10)));
  REQUIRE(nf::analytic_split_half_ceiling(5, 1.0) == Approx(2 * std::sqrt(0.5) / (1 + std::sqrt(0.5))));
  REQUIRE(nf::analytic_split_half_ceiling(4, 0.0) == 1.0);
}

TEST_CASE("Measured ceiling agrees with the simulation's analytic reliability", "[neural_fit]") {
  const Index stimuli = 600;
  for (auto [reps, noise] : {std::pair<Index, double>{10, 1.5}, {5, 1.0}, {2, 0.5}}) {
    nf::SimulationOptions o;
    o.sites = 60;
    o.reps = reps;
    o.noise = noise;
    o.seed = 3;
    auto sim = nf::simulate_population(low_rank_features(stimuli, 40, 9), o);
    auto data = nf::prepare_neural_data(write_and_read(sim, stimuli, o));
    auto ceiling = nf::split_half_ceiling(data.trials, stimuli, {10, 1});
    INFO("reps " << reps << " noise " << noise);
    REQUIRE(ceiling.available);
    REQUIRE(ceiling.value == Approx(sim.analytic_ceiling).margin(0.02));
  }
}

TEST_CASE("Generating features score near the ceiling, random features near zero", "[neural_fit]") {
  const Index stimuli = 500;
  nf::FeatureMatrix generating = low_rank_features(stimuli, 300, 17);
  nf::SimulationOptions o;
  o.sites = 40;
  o.reps = 8;
  o.noise = 1.0;
  auto sim = nf::simulate_population(generating, o);
  nf::FitOptions options;
  auto target = nf::prepare_target(write_and_read(sim, stimuli, o), options);
  REQUIRE(target.ceiling.value == Approx(sim.analytic_ceiling).margin(0.03));
  nf::Score good = nf::cross_validated_score(nf::FeatureDesign(generating), target, options, nullptr);
  // best possible r = sqrt(reliability of the 8-trial mean) -> r^2 / ceiling near 1
  REQUIRE(good.raw == Approx(std::sqrt(sim.analytic_ceiling)).margin(0.03));
  REQUIRE(good.ceiled.ev2026 == Approx(1.0).margin(0.08));
  nf::FeatureMatrix random = nf::standard_normal(stimuli, 300, 99).cast<float>();
  nf::Score bad = nf::cross_validated_score(nf::FeatureDesign(random), target, options, nullptr);
  REQUIRE(std::abs(bad.raw) < 0.1);
}

TEST_CASE("No ceiling without repetitions", "[neural_fit]") {
  nf::Trials t;
  t.responses = Matrix::Random(4, 2);
  t.stimulus = {0, 1, 2, 3};
  t.repetition = {0, 0, 0, 0};
  auto c = nf::split_half_ceiling(t, 4, {});
  REQUIRE_FALSE(c.available);
  REQUIRE(std::isnan(c.value));
}

TEST_CASE("Half averages use only the chosen repetitions", "[neural_fit]") {
  nf::Trials t;
  t.responses = Matrix(4, 1);
  t.responses << 1, 3, 10, 30;
  t.stimulus = {0, 0, 1, 1};
  t.repetition = {0, 1, 0, 1};
  Matrix a = nf::half_average(t, 2, {1});
  REQUIRE(a(0, 0) == 3);
  REQUIRE(a(1, 0) == 30);
}
