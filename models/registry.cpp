#include "models/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "hmax/hmax_bp.h"
#include "hmax/hmax_classic.h"
#include "hmax/hmax_wide.h"
#include "models/pathfinder_nets.h"

namespace ventral::models {
namespace {

// The factory of a family whose module is built from its options alone.
template <typename Impl, auto read_options>
ModelFactory family() {
  return [](ModelOptionReader& read, const ModelConfig&) -> std::shared_ptr<VisionModelImpl> {
    return std::make_shared<Impl>(read_options(read));
  };
}

hmax::HmaxClassicOptions read_hmax_classic_options(ModelOptionReader& read) {
  const hmax::HmaxClassicOptions d;
  hmax::HmaxClassicOptions o;
  o.s2_activation(read.get_enum("s2_activation", d.s2_activation(), hmax::s2_activation_names()));
  o.s2_sigma(read.get_double("s2_sigma", d.s2_sigma(), 1e-12, 1e12));
  return o;
}

std::shared_ptr<VisionModelImpl> create_hmax_classic(ModelOptionReader& read,
                                                     const ModelConfig& config) {
  return std::make_shared<hmax::HmaxClassicImpl>(read_hmax_classic_options(read), config.prototypes);
}

std::vector<ModelEntry> build_registry() {
  return {
      {"hmax-classic",
       "classic HMAX (Serre et al. 2007): 16-scale Gabor S1, 8-band C1, S2 prototypes, global C2; "
       "fixed weights, exact to the maxlab reference",
       create_hmax_classic},
      {"hmax-bp",
       "classic HMAX trained end to end: Gabor-initialised learnable S1, C1 bands, learnable "
       "Gaussian-tuned S2 prototypes, global C2, linear classifier",
       family<hmax::HmaxBpImpl, hmax::read_hmax_bp_options>()},
      {"hmax-wide",
       "widened, modernised HMAX: colour input, wide S1, quarter-octave pyramid with S weights "
       "shared over scales, C = spatial then scale max, S2/C2 and S3/C3, read-out; batchnorm, "
       "conv1x1, residual, stage3, dropout, scale_pool switchable",
       family<hmax::HmaxWideImpl, hmax::read_hmax_wide_options>()},
      {"hmax-hgru",
       "hmax-wide with an hGRU horizontal circuit on C1 (and optionally S2), unrolled for "
       "timesteps steps, trained by BPTT or C-RBP; per-step layers c1@t<k>",
       family<hmax::HmaxWideImpl, hmax::read_hmax_hgru_options>()},
      {"hmax-gamma",
       "hmax-wide with gamma-net feedback: fGRU horizontal circuits on C1 and S2 and an fGRU "
       "top-down cell from S2 back to C1, unrolled together (BPTT); per-step layers c1@t<k>, s2@t<k>",
       family<hmax::HmaxWideImpl, hmax::read_hmax_gamma_options>()},
      {"pathfinder-hgru",
       "Pathfinder network (hgru_share setup): conv stem, one hGRU layer unrolled for T steps "
       "(BPTT or C-RBP), BN -> 1x1 conv -> global max -> BN -> linear read-out",
       family<PathfinderNetImpl, read_pathfinder_hgru_options>()},
      {"pathfinder-cnn",
       "feed-forward Pathfinder baseline: the same stem and read-out around a stack of "
       "conv-BN-ReLU layers (width and depth set the parameter count)",
       family<PathfinderNetImpl, read_pathfinder_cnn_options>()},
  };
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry = build_registry();
  return registry;
}

std::vector<std::string> model_names() {
  std::vector<std::string> names;
  for (const auto& entry : model_registry()) names.push_back(entry.name);
  return names;
}

const ModelEntry& find_model(const std::string& name) {
  for (const auto& entry : model_registry()) {
    if (entry.name == name) return entry;
  }
  fail("unknown model '{}'; known: {}", name, fmt::join(model_names(), ", "));
}

std::shared_ptr<VisionModelImpl> create_model(const std::string& name, const ModelConfig& config) {
  ModelOptionReader read(name, config.options);
  auto model = find_model(name).create(read, config);
  read.reject_unknown();
  model->set_resolved_options(read.resolved());
  return model;
}

int64_t parameter_count(const torch::nn::Module& model) {
  int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

}  // namespace ventral::models
