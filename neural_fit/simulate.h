// Simulated neural populations with a known read-out and known reliability, for tests
// and demos (`ventral neural simulate`). From features X (S stimuli x p, centred):
// L latent read-out directions v_l (Gaussian), latent scores z_l = Xc v_l standardised;
// site j's signal s_j = sum_l a_jl z_l (a Gaussian), standardised to mean 0 and unit
// variance over the stimuli; trial r: s_j + noise * e (e standard normal).
// Analytic split-half ceiling (halves of h1 = floor(R/2) and h2 = R - h1 trials):
//   r_half = 1 / sqrt((1 + noise^2 / h1) (1 + noise^2 / h2)),  ceiling = 2 r_half / (1 + r_half)
// (= 1 / (1 + noise^2 / R) for even R). A fit of the trial means on the generating
// features can reach r = sqrt(1 / (1 + noise^2 / R)), i.e. ceiled_ev2026 near 1.
#pragma once

#include <cstdint>
#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct SimulationOptions {
  Index sites = 100;   ///< simulated recording sites
  Index reps = 10;     ///< trials per stimulus
  double noise = 1.0;  ///< trial noise std relative to the signal std (>= 0)
  Index latent = 10;   ///< read-out directions shared by the sites (<= 25 so PLS-25 can fit)
  std::uint64_t seed = 0;
};

struct Simulation {
  std::vector<float> responses;  ///< reps x stimuli x sites, C order
  Matrix signal;                 ///< stimuli x sites, noise-free
  double analytic_ceiling = 0;   ///< the formula above
};

/// Simulates a population from the features (stimuli x p). Throws ventral::Error for
/// constant features or bad options.
Simulation simulate_population(const FeatureMatrix& features, const SimulationOptions& options);

/// The analytic split-half ceiling for `reps` trials at `noise`.
double analytic_split_half_ceiling(Index reps, double noise);

/// Standard normal matrix from a portable generator (Box-Muller on MT19937-64).
Matrix standard_normal(Index rows, Index cols, std::uint64_t seed);

}  // namespace ventral::neural_fit
