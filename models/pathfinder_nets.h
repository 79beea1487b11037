// The Pathfinder benchmark's networks (docs/reference/recurrent.md 2.5, after serre-lab/hgru_share's
// Pathfinder setup): a convolutional stem, then either one hGRU layer unrolled for T steps
// (`pathfinder-hgru`) or a stack of feed-forward convolutions (`pathfinder-cnn`), then the
// same read-out for both:
//
//   stem:     conv k x k (stride s) -> BN -> ReLU                       [N, K, H/s, W/s]
//   hgru:     hGRU(K channels, horizontal kernel k_h), T steps, state h_T (model option
//             cell= swaps in fGRU, ConvGRU or ConvLSTM for ablations)
//   cnn:      `layers` x (conv k x k -> BN -> ReLU), K channels
//   read-out: BN -> 1x1 conv to 2 maps -> global max pool -> BN -> linear (classes)
//
// The TF reference uses a fixed 7x7 Gabor stem with a squaring nonlinearity; here the stem is
// learned (both families get the same one), which lets the benchmark compare the circuits
// behind it rather than the stem. Named layers: stem, h@t<k> (k = 1..eval steps, hgru) or
// conv<i> (cnn), readout (the two maps before pooling), pre_logits, logits.
#pragma once

#include <torch/nn/modules/batchnorm.h>
#include <torch/nn/modules/container/sequential.h>
#include <torch/nn/modules/conv.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>
#include <vector>

#include "layers/batch_norm.h"
#include "models/model_options.h"
#include "models/vision_model.h"
#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/recurrent_cell.h"
#include "recurrent_cells/recurrent_stage.h"

namespace ventral::models {

/// Options of both Pathfinder networks; the defaults are pathfinder-hgru's.
struct PathfinderNetOptions {
  TORCH_ARG(int64_t, in_chans) = 1;
  TORCH_ARG(int64_t, num_classes) = 2;
  TORCH_ARG(int64_t, channels) = 24;    ///< K: stem output and circuit width
  TORCH_ARG(int64_t, stem_kernel) = 7;  ///< odd
  TORCH_ARG(int64_t, stem_stride) = 2;
  TORCH_ARG(int64_t, kernel) = 9;  ///< hGRU horizontal kernel, or the CNN's conv kernel (odd)
  // pathfinder-hgru
  TORCH_ARG(std::string, cell) = "hgru";  ///< the circuit, a recurrent_cells registry name (ablations)
  TORCH_ARG(int64_t, timesteps) = 8;
  TORCH_ARG(int64_t, eval_timesteps) = 0;  ///< 0: the training timesteps
  TORCH_ARG(recurrent::RecurrentGrad, recurrent_grad) = recurrent::RecurrentGrad::bptt;
  TORCH_ARG(recurrent::CrbpOptions, crbp) = {};  ///< C-RBP series and Lipschitz penalty settings
  TORCH_ARG(recurrent::Nonlinearity, nonlinearity) = recurrent::Nonlinearity::softplus;
  /// Per-step normalisation (none under C-RBP, whose fixed point needs one step map).
  TORCH_ARG(recurrent::StepNorm, norm) = recurrent::StepNorm::batch;
  TORCH_ARG(recurrent::ConvMethod, conv) = recurrent::ConvMethod::automatic;  ///< horizontal convolution
  // pathfinder-cnn
  TORCH_ARG(int64_t, layers) = 0;  ///< 0: the recurrent network
};

/// pathfinder-cnn's defaults: 4 conv layers of 36 channels with 5x5 kernels.
PathfinderNetOptions pathfinder_cnn_preset();

/// Options of pathfinder-hgru from `--model-opt` keys (invalid values throw Error).
PathfinderNetOptions read_pathfinder_hgru_options(ModelOptionReader& read);
/// Options of pathfinder-cnn from `--model-opt` keys.
PathfinderNetOptions read_pathfinder_cnn_options(ModelOptionReader& read);

class PathfinderNetImpl : public VisionModelImpl {
 public:
  explicit PathfinderNetImpl(PathfinderNetOptions options);

  std::vector<std::string> layer_names() const override;
  int input_channels() const override { return static_cast<int>(options.in_chans()); }
  std::string model_name() const override { return recurrent() ? "pathfinder-hgru" : "pathfinder-cnn"; }

  bool recurrent() const { return options.layers() == 0; }
  /// Steps unrolled now: timesteps while training, eval_timesteps (or timesteps) otherwise.
  int64_t steps() const;

  PathfinderNetOptions options;

 protected:
  torch::Tensor run(const torch::Tensor& images, ForwardPass& pass) override;

 private:
  torch::nn::Sequential stem_{nullptr};
  recurrent::RecurrentCell cell_{nullptr};
  std::vector<torch::nn::Sequential> convs_;
  layers::BatchNorm2d readout_norm_{nullptr};
  torch::nn::Conv2d readout_conv_{nullptr};
  torch::nn::BatchNorm1d pooled_norm_{nullptr};
  torch::nn::Linear head_{nullptr};
};
TORCH_MODULE(PathfinderNet);

}  // namespace ventral::models
