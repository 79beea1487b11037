// hmax-classic: the HMAX model of Riesenhuber & Poggio (1999) with the S1/C1 parameters
// of Serre et al. (2007, PAMI, doi:10.1109/TPAMI.2007.56), computed as the Georgetown
// maxlab code does. Fixed weights; S2 prototypes imprinted or loaded from HDF5.
// Contract: docs/reference/hmax_classic.md. Named layers: s1/<0..15> (N,4,H,W),
// c1/<0..7> (N,4,Hb,Wb), s2/<m>/<band> (N,P_m,Hb,Wb), c2 (N,P).
#pragma once

#include <torch/nn/pimpl.h>

#include "hmax/classic_s1.h"
#include "hmax/classic_stages.h"
#include "hmax/gabor_bank.h"
#include "hmax/prototypes.h"
#include "models/vision_model.h"

namespace ventral::hmax {

/// Smallest image side hmax-classic accepts: the largest S1 filter.
constexpr int64_t kClassicMinSide = 37;
/// Images per internal pass of hmax-classic; larger batches are split.
constexpr int64_t kClassicChunk = 8;

struct HmaxClassicOptions {
  /// S2 tuning; C2 takes the min for euclidean and the max for gaussian.
  TORCH_ARG(S2Activation, s2_activation) = S2Activation::euclidean;
  /// Width of the gaussian S2 tuning.
  TORCH_ARG(double, s2_sigma) = 1.0;
};

class HmaxClassicImpl : public models::VisionModelImpl {
 public:
  explicit HmaxClassicImpl(HmaxClassicOptions options = {}, PrototypeSet prototypes = {});

  std::vector<std::string> layer_names() const override;
  std::vector<std::string> resolve_layers(const std::vector<std::string>& names) const override;
  int input_channels() const override { return 1; }
  std::string model_name() const override { return "hmax-classic"; }

  /// All 8 C1 bands: (N, 4, Hb, Wb) each.
  std::vector<torch::Tensor> c1(const torch::Tensor& images) const;

  const PrototypeSet& prototypes() const { return prototypes_; }
  void pretty_print(std::ostream& stream) const override;

  HmaxClassicOptions options;

 protected:
  /// The output is C2: (N, P) with prototypes ordered by size, then file order. Runs without
  /// grad (fixed weights), a few images at a time.
  torch::Tensor run(const torch::Tensor& images, models::ForwardPass& pass) override;
  /// (N, 1 or 3, H, W) with sides of at least kClassicMinSide.
  void check_input(const torch::Tensor& images) const override;

 private:
  /// Gray float images (PIL's integer luma for RGB).
  torch::Tensor prepare(const torch::Tensor& images) const;
  /// S1 engine for (N, 1, H, W) gray images already checked by prepare().
  ClassicS1 make_s1(const torch::Tensor& gray) const;
  models::NamedTensors features_of_chunk(const torch::Tensor& gray,
                                         const std::vector<std::string>& leaves) const;

  mutable GaborSpectraCache spectra_cache_;

  PrototypeSet prototypes_;
};
TORCH_MODULE(HmaxClassic);

}  // namespace ventral::hmax
