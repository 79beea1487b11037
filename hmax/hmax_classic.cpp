#include "hmax/hmax_classic.h"

#include <torch/torch.h>

#include <map>
#include <set>

#include "common/error.h"
#include "models/layer_names.h"

namespace ventral::hmax {

HmaxClassicImpl::HmaxClassicImpl(HmaxClassicOptions options_, PrototypeSet prototypes)
    : options(options_), prototypes_(std::move(prototypes)) {
  for (std::size_t i = 0; i < prototypes_.sizes.size(); ++i) {
    register_buffer("patches_" + std::to_string(prototypes_.sizes[i]), prototypes_.patches[i]);
  }
}

void HmaxClassicImpl::check_input(const torch::Tensor& images) const {
  if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3)) {
    fail("hmax-classic: expected images (N, 1 or 3, H, W), got {}", c10::str(images.sizes()));
  }
  if (images.size(2) < kClassicMinSide || images.size(3) < kClassicMinSide) {
    fail("hmax-classic: image of {}x{} px is smaller than the largest S1 filter ({} px)", images.size(3),
         images.size(2), kClassicMinSide);
  }
}

torch::Tensor HmaxClassicImpl::prepare(const torch::Tensor& images) const {
  return classic_luma(images.to(torch::kFloat32));
}

ClassicS1 HmaxClassicImpl::make_s1(const torch::Tensor& gray) const {
  return ClassicS1(gray, spectra_cache_);
}

std::vector<torch::Tensor> HmaxClassicImpl::c1(const torch::Tensor& images) const {
  torch::NoGradGuard no_grad;
  check_input(images);
  ClassicS1 s1 = make_s1(prepare(images));
  std::vector<torch::Tensor> bands;
  for (int k = 0; k < kClassicBands; ++k) {
    bands.push_back(classic_c1_pool(s1.scale(2 * k), s1.scale(2 * k + 1), k));
  }
  return bands;
}

std::vector<std::string> HmaxClassicImpl::layer_names() const {
  std::vector<std::string> names = {"s1"};
  for (int s = 0; s < kClassicScales; ++s) names.push_back("s1/" + std::to_string(s));
  names.push_back("c1");
  for (int k = 0; k < kClassicBands; ++k) names.push_back("c1/" + std::to_string(k));
  if (prototypes_.empty()) return names;
  names.push_back("s2");
  for (int m : prototypes_.sizes) {
    names.push_back("s2/" + std::to_string(m));
    for (int k = 0; k < kClassicBands; ++k) {
      names.push_back("s2/" + std::to_string(m) + "/" + std::to_string(k));
    }
  }
  names.push_back("c2");
  return names;
}

std::vector<std::string> HmaxClassicImpl::resolve_layers(const std::vector<std::string>& names) const {
  if (prototypes_.empty()) {
    for (const auto& name : names) {
      if (name.rfind("s2", 0) == 0 || name == "c2") {
        fail("hmax-classic: layer '{}' needs S2 prototypes (--patches FILE, made by `ventral imprint`)",
             name);
      }
    }
  }
  return models::expand_layer_names(names, layer_names(), model_name());
}

torch::Tensor HmaxClassicImpl::run(const torch::Tensor& input, models::ForwardPass& pass) {
  torch::NoGradGuard no_grad;
  auto leaves = pass.leaves();
  if (pass.output_needed() && !pass.wants("c2")) {
    if (prototypes_.empty()) resolve_layers({"c2"});  // throws: C2 needs prototypes
    leaves.push_back("c2");
  }
  const auto images = prepare(input);
  std::vector<models::NamedTensors> parts;
  // Large batches run a few images at a time: S1 of one scale for 32 images at 512 px
  // would be 134 MB, far outside any cache.
  for (int64_t begin = 0; begin < images.size(0); begin += kClassicChunk) {
    parts.push_back(features_of_chunk(images.slice(0, begin, begin + kClassicChunk), leaves));
  }
  torch::Tensor c2;
  for (std::size_t i = 0; i < leaves.size(); ++i) {
    std::vector<torch::Tensor> pieces;
    for (const auto& part : parts) pieces.push_back(part[i].second);
    auto layer = pieces.size() == 1 ? pieces.front() : torch::cat(pieces, 0);
    pass.keep(leaves[i], layer);
    if (leaves[i] == "c2") c2 = layer;
  }
  return c2;
}

models::NamedTensors HmaxClassicImpl::features_of_chunk(const torch::Tensor& images,
                                                        const std::vector<std::string>& leaves) const {
  std::set<std::string> wanted(leaves.begin(), leaves.end());
  const bool need_s2 = std::any_of(leaves.begin(), leaves.end(), [](const std::string& n) {
    return n == "c2" || n.rfind("s2/", 0) == 0;
  });
  std::map<std::string, torch::Tensor> computed;
  ClassicS1 s1 = make_s1(images);
  std::vector<torch::Tensor> c1_bands;
  for (int k = 0; k < kClassicBands; ++k) {
    auto a = s1.scale(2 * k), b = s1.scale(2 * k + 1);
    for (int s : {2 * k, 2 * k + 1}) {
      std::string name = "s1/" + std::to_string(s);
      if (wanted.count(name)) computed[name] = s == 2 * k ? a : b;
    }
    c1_bands.push_back(classic_c1_pool(a, b, k));
    if (wanted.count("c1/" + std::to_string(k))) computed["c1/" + std::to_string(k)] = c1_bands.back();
  }
  if (need_s2) {
    std::vector<torch::Tensor> c2_parts;
    for (std::size_t i = 0; i < prototypes_.sizes.size(); ++i) {
      const std::string prefix = "s2/" + std::to_string(prototypes_.sizes[i]) + "/";
      std::vector<torch::Tensor> s2_bands;
      for (int k = 0; k < kClassicBands; ++k) {
        s2_bands.push_back(classic_s2(c1_bands[k], prototypes_.patches[i], options.s2_activation(),
                                      options.s2_sigma()));
        if (wanted.count(prefix + std::to_string(k)))
          computed[prefix + std::to_string(k)] = s2_bands.back();
      }
      c2_parts.push_back(classic_c2(s2_bands, options.s2_activation()));
    }
    computed["c2"] = torch::cat(c2_parts, 1);
  }
  models::NamedTensors out;
  for (const auto& leaf : leaves) out.emplace_back(leaf, computed.at(leaf));
  return out;
}

void HmaxClassicImpl::pretty_print(std::ostream& stream) const {
  stream << "ventral::hmax::HmaxClassic(prototypes=" << prototypes_.count();
  if (options.s2_activation() != S2Activation::euclidean) stream << ", s2_activation=gaussian";
  if (options.s2_sigma() != 1.0) stream << ", s2_sigma=" << options.s2_sigma();
  stream << ")";
}

}  // namespace ventral::hmax
