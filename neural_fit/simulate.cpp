#include "neural_fit/simulate.h"

#include <cmath>
#include <random>

#include "common/error.h"
#include "neural_fit/linalg.h"

namespace ventral::neural_fit {
namespace {

// Columns to mean 0 and population std 1; false if a column is constant.
bool standardise(Matrix& m) {
  m = m.rowwise() - column_means(m);
  for (Index j = 0; j < m.cols(); ++j) {
    double sd = std::sqrt(m.col(j).squaredNorm() / static_cast<double>(m.rows()));
    if (!(sd > 0)) return false;
    m.col(j) /= sd;
  }
  return true;
}

}  // namespace

Matrix standard_normal(Index rows, Index cols, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  auto uniform = [&] { return (static_cast<double>(rng() >> 11) + 0.5) / 9007199254740992.0; };
  Matrix m(rows, cols);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < cols; ++j) {
      m(i, j) = std::sqrt(-2 * std::log(uniform())) * std::cos(6.283185307179586 * uniform());
    }
  }
  return m;
}

double analytic_split_half_ceiling(Index reps, double noise) {
  const double h1 = static_cast<double>(reps / 2), h2 = static_cast<double>(reps) - h1;
  const double r = 1.0 / std::sqrt((1 + noise * noise / h1) * (1 + noise * noise / h2));
  return 2 * r / (1 + r);
}

Simulation simulate_population(const FeatureMatrix& features, const SimulationOptions& o) {
  if (o.sites < 1) fail("--sites must be at least 1, got {}", o.sites);
  if (o.reps < 2) fail("--reps must be at least 2 (the ceiling needs two halves), got {}", o.reps);
  if (!(o.noise >= 0)) fail("--noise must be >= 0, got {}", o.noise);
  if (features.rows() < 3) fail("simulation needs at least 3 stimuli, got {}", features.rows());
  const Index s = features.rows(), p = features.cols();
  const Index latent = std::max<Index>(1, std::min(o.latent, p));
  Matrix x = features.cast<double>();
  x = x.rowwise() - column_means(x);
  Matrix z = x * standard_normal(p, latent, o.seed);
  if (!standardise(z)) fail("simulation: the features are constant across the stimuli");
  Simulation sim;
  sim.signal = z * standard_normal(latent, o.sites, o.seed + 1);
  if (!standardise(sim.signal)) fail("simulation: a site's signal is constant");
  Matrix noise = standard_normal(o.reps * s, o.sites, o.seed + 2);
  sim.responses.resize(static_cast<std::size_t>(o.reps * s * o.sites));
  for (Index r = 0; r < o.reps; ++r) {
    for (Index i = 0; i < s; ++i) {
      for (Index j = 0; j < o.sites; ++j) {
        sim.responses[static_cast<std::size_t>((r * s + i) * o.sites + j)] = static_cast<float>(
            sim.signal(i, j) + o.noise * noise(r * s + i, j));
      }
    }
  }
  sim.analytic_ceiling = analytic_split_half_ceiling(o.reps, o.noise);
  return sim;
}

}  // namespace ventral::neural_fit
