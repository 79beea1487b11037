// `ventral neural simulate`: a population with a known read-out of known features plus
// trial noise, written in ventral's HDF5 neural format with its analytic ceiling.
// Wiring only: the simulation is neural_fit/simulate.h.
#include <fmt/core.h>

#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/neural_h5.h"
#include "neural_fit/simulate.h"

namespace ventral::cli {

int run_neural_simulate(const Params& p) {
  namespace nf = ventral::neural_fit;
  if (p.features.empty()) fail("--features is required");
  if (p.layer.empty()) fail("--layer is required");
  if (p.out.empty()) fail("--out is required");
  AtomicOutput out(p.out);
  nf::FeatureFile features(p.features);
  nf::Rows all(features.stimulus_ids().size());
  for (std::size_t i = 0; i < all.size(); ++i) all[i] = static_cast<nf::Index>(i);
  nf::SimulationOptions options;
  options.sites = p.sites;
  options.reps = p.reps;
  options.noise = p.noise;
  options.seed = p.seed;
  auto sim = nf::simulate_population(features.read_rows(p.layer, all), options);
  nf::NeuralH5Contents c;
  c.responses = sim.responses;
  c.reps = options.reps;
  c.stimuli = static_cast<nf::Index>(all.size());
  c.sites = options.sites;
  c.stimulus_id = features.stimulus_ids();
  for (nf::Index j = 0; j < options.sites; ++j) c.site_id.push_back(fmt::format("sim{:04d}", j));
  c.region.assign(static_cast<std::size_t>(options.sites), "sim");
  c.attributes = {{"simulated_from", p.features + ":" + p.layer},
                  {"noise", fmt::format("{}", p.noise)},
                  {"latent_dimensions", std::to_string(options.latent)},
                  {"seed", std::to_string(p.seed)},
                  {"analytic_ceiling", fmt::format("{:.6f}", sim.analytic_ceiling)}};
  c.extra["analytic_ceiling"] = {sim.analytic_ceiling};
  nf::write_neural_h5(out.temp_path(), c);
  out.commit();
  fmt::print(
      "simulated {} sites x {} stimuli x {} trials from layer {} (noise {}); analytic "
      "split-half ceiling {:.4f}\nwrote {}\n",
      options.sites, c.stimuli, options.reps, p.layer, p.noise, sim.analytic_ceiling, p.out);
  return 0;
}

}  // namespace ventral::cli
