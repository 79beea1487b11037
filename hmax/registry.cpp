#include "hmax/registry.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "hmax/hmax_bp.h"
#include "hmax/hmax_classic.h"
#include "hmax/hmax_wide.h"
#include "hmax/pathfinder_nets.h"

namespace ventral::hmax {
namespace {

void reject_unknown_options(const ModelConfig& config, const std::string& model,
                            const std::vector<std::string>& known) {
  for (const auto& [key, value] : config.options) {
    if (std::find(known.begin(), known.end(), key) == known.end()) {
      fail("{}: unknown model option '{}'; known: {}", model, key, fmt::join(known, ", "));
    }
  }
}

std::shared_ptr<VisionModelImpl> create_hmax_classic(const ModelConfig& config) {
  reject_unknown_options(config, "hmax-classic", {"s2_activation", "s2_sigma"});
  HmaxClassicOptions options;
  if (auto it = config.options.find("s2_activation"); it != config.options.end()) {
    if (it->second == "euclidean") {
      options.s2_activation(S2Activation::euclidean);
    } else if (it->second == "gaussian") {
      options.s2_activation(S2Activation::gaussian);
    } else {
      fail("hmax-classic: s2_activation '{}' invalid, expected euclidean or gaussian", it->second);
    }
  }
  if (auto it = config.options.find("s2_sigma"); it != config.options.end()) {
    double sigma = 0.0;
    try {
      sigma = std::stod(it->second);
    } catch (const std::exception&) {
    }
    if (!(sigma > 0.0)) fail("hmax-classic: s2_sigma '{}' invalid, expected a positive number", it->second);
    options.s2_sigma(sigma);
  }
  auto model = std::make_shared<HmaxClassicImpl>(options, config.prototypes);
  model->set_resolved_options(config.options);
  return model;
}

std::shared_ptr<VisionModelImpl> create_hmax_bp(const ModelConfig& config) {
  std::map<std::string, std::string> resolved;
  auto model = std::make_shared<HmaxBpImpl>(hmax_bp_options(config.options, resolved));
  model->set_resolved_options(std::move(resolved));
  return model;
}

std::shared_ptr<VisionModelImpl> create_hmax_wide(const ModelConfig& config) {
  std::map<std::string, std::string> resolved;
  auto model = std::make_shared<HmaxWideImpl>(hmax_wide_options(config.options, resolved));
  model->set_resolved_options(std::move(resolved));
  return model;
}

std::shared_ptr<VisionModelImpl> create_hmax_hgru(const ModelConfig& config) {
  std::map<std::string, std::string> resolved;
  auto model = std::make_shared<HmaxWideImpl>(hmax_wide_options(config.options, resolved, Recurrence::hgru));
  model->set_resolved_options(std::move(resolved));
  return model;
}

std::shared_ptr<VisionModelImpl> create_hmax_gamma(const ModelConfig& config) {
  std::map<std::string, std::string> resolved;
  auto model = std::make_shared<HmaxWideImpl>(hmax_wide_options(config.options, resolved, Recurrence::gamma));
  model->set_resolved_options(std::move(resolved));
  return model;
}

std::shared_ptr<VisionModelImpl> create_pathfinder_net(const std::string& name, const ModelConfig& config) {
  std::map<std::string, std::string> resolved;
  auto model = std::make_shared<PathfinderNetImpl>(pathfinder_net_options(name, config.options, resolved));
  model->set_resolved_options(std::move(resolved));
  return model;
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
       create_hmax_bp},
      {"hmax-wide",
       "widened, modernised HMAX: colour input, wide S1, quarter-octave pyramid with S weights "
       "shared over scales, C = spatial then scale max, S2/C2 and S3/C3, read-out; batchnorm, "
       "conv1x1, residual, stage3, dropout, scale_pool switchable",
       create_hmax_wide},
      {"hmax-hgru",
       "hmax-wide with an hGRU horizontal circuit on C1 (and optionally S2), unrolled for "
       "timesteps steps, trained by BPTT or C-RBP; per-step layers c1@t<k>",
       create_hmax_hgru},
      {"hmax-gamma",
       "hmax-wide with gamma-net feedback: fGRU horizontal circuits on C1 and S2 and an fGRU "
       "top-down cell from S2 back to C1, unrolled together (BPTT); per-step layers c1@t<k>, s2@t<k>",
       create_hmax_gamma},
      {"pathfinder-hgru",
       "Pathfinder network (hgru_share setup): conv stem, one hGRU layer unrolled for T steps "
       "(BPTT or C-RBP), BN -> 1x1 conv -> global max -> BN -> linear read-out",
       [](const ModelConfig& config) { return create_pathfinder_net("pathfinder-hgru", config); }},
      {"pathfinder-cnn",
       "feed-forward Pathfinder baseline: the same stem and read-out around a stack of "
       "conv-BN-ReLU layers (width and depth set the parameter count)",
       [](const ModelConfig& config) { return create_pathfinder_net("pathfinder-cnn", config); }},
  };
}

}  // namespace

const std::vector<ModelEntry>& model_registry() {
  static const std::vector<ModelEntry> registry = build_registry();
  return registry;
}

const ModelEntry& find_model(const std::string& name) {
  std::vector<std::string> known;
  for (const auto& entry : model_registry()) {
    if (entry.name == name) return entry;
    known.push_back(entry.name);
  }
  fail("unknown model '{}'; known: {}", name, fmt::join(known, ", "));
}

std::shared_ptr<VisionModelImpl> create_model(const std::string& name, const ModelConfig& config) {
  return find_model(name).create(config);
}

int64_t parameter_count(const torch::nn::Module& model) {
  int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

}  // namespace ventral::hmax
