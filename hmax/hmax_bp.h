// hmax-bp: classic HMAX made trainable end to end ("standard HMAX optimised with
// backprop"): Gabor-initialised learnable S1 (classic filter sizes, 4 orientations,
// classic normalisation), C1 bands = max over a pair of adjacent sizes and a spatial max
// (classic pool sizes 8 + 2b scaled by c1_pool), learnable S2 prototypes with Gaussian
// tuning, C2 = global max over positions and bands, a linear classifier on standardised
// C2 (classic HMAX pipelines z-score C2 before their linear SVM; here a running-statistics
// batch norm without affine terms does it, so the read-out stays linear in C2).
// Named layers: s1/<size index>, c1/<band>, s2/<m>/<band>, c2, logits.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>

#include "hmax/rbf_s2.h"
#include "hmax/trainable_s1.h"
#include "models/model_options.h"
#include "models/vision_model.h"

namespace ventral::hmax {

/// hmax-bp's options; the defaults are those of 224 px inputs (the 16 classic S1 sizes).
struct HmaxBpOptions {
  TORCH_ARG(int64_t, in_chans) = 1;
  TORCH_ARG(int64_t, num_classes) = 1000;
  /// S1 filter sides (odd), paired into C1 bands: the classic 7, 9, ..., 37.
  TORCH_ARG(std::vector<int>, s1_sizes) = std::vector<int>{7,  9,  11, 13, 15, 17, 19, 21,
                                                           23, 25, 27, 29, 31, 33, 35, 37};
  TORCH_ARG(int64_t, c1_pool) = 8;  ///< band b pools over c1_pool + 2b, stride half of it
  TORCH_ARG(std::vector<int>, s2_sizes) = std::vector<int>{4, 8, 12, 16};
  TORCH_ARG(int64_t, prototypes) = 64;  ///< per S2 size
  TORCH_ARG(double, s2_sigma) = 0.2;
};

/// The defaults at an input size: the struct's, and below kSmallImageSide px S1 sizes
/// 7-13, C1 pool 4 and one S2 size (4).
HmaxBpOptions hmax_bp_preset(int input_size);

/// Options from `--model-opt` keys (plus input_size, in_chans, num_classes from the trainer).
HmaxBpOptions read_hmax_bp_options(models::ModelOptionReader& read);

class HmaxBpImpl : public models::VisionModelImpl {
 public:
  explicit HmaxBpImpl(HmaxBpOptions options);

  std::vector<std::string> layer_names() const override;
  int input_channels() const override { return static_cast<int>(options.in_chans()); }
  std::string model_name() const override { return "hmax-bp"; }

  HmaxBpOptions options;

 protected:
  torch::Tensor run(const torch::Tensor& images, models::ForwardPass& pass) override;

 private:
  int bands() const { return static_cast<int>((options.s1_sizes().size() + 1) / 2); }

  TrainableS1 s1_{nullptr};
  RbfS2 s2_{nullptr};
  torch::nn::BatchNorm1d c2_norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(HmaxBp);

}  // namespace ventral::hmax
