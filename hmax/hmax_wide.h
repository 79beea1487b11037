// hmax-wide: the widened, modernised HMAX of the Serre lab's ImageNet work
// (HMAX_from_Alexnet / RESMAX, docs/reference/trainable_hmax.md): colour input, an image
// pyramid in quarter-octave steps, S stages with weights shared across scales, C stages
// = spatial max then max (or soft selection) over adjacent scales, an optional third S/C
// stage, global pooling over space and scale, and a linear read-out.
// Named layers: s1/<level>, c1/<band>, s2/<band>, c2/<band>, [s3/<band>, c3], pre_logits, logits.
//
// hmax-hgru is the same network with an hGRU horizontal circuit (recurrent_cells/hgru.h) on
// the C1 maps (and optionally the S2 maps), one cell shared by all scales, unrolled for
// `timesteps` steps while training (`eval_timesteps` when evaluating) and trained by BPTT or
// C-RBP (its Lipschitz penalty is a loss term of forward_train()). Its per-step states are layers
// c1@t<k>/<band> (and s2@t<k>/<band>), k = 1..steps, so scores can be read across time.
//
// hmax-gamma (gamma-net style, docs/reference/recurrent.md 3): fGRU horizontal circuits on C1 and S2 and an
// fGRU top-down cell feeding the S2 state back into the C1 state, all unrolled together:
//   h1 <- fGRU1(C1, h1);  s2 = S2(h1);  h2 <- fGRU2(s2, h2);  h1 <- TopDown(h1, h2)
// Trained by BPTT; per-step layers c1@t<k>/<band> and s2@t<k>/<band>.
#pragma once

#include <torch/nn/modules/dropout.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <map>
#include <string>

#include "hmax/s_block.h"
#include "hmax/scale_pool.h"
#include "models/model_options.h"
#include "models/vision_model.h"
#include "recurrent_cells/cell_options.h"
#include "recurrent_cells/fgru.h"
#include "recurrent_cells/recurrent_cell.h"
#include "recurrent_cells/recurrent_stage.h"

namespace ventral::hmax {

/// Which recurrent circuits the network holds: none (hmax-wide), an hGRU on C1 [and S2]
/// (hmax-hgru), or gamma-net's fGRU pair with top-down feedback (hmax-gamma).
enum class Recurrence { none, hgru, gamma };

/// hmax-wide's options; the defaults are those of 224 px inputs (AlexNet-like S1), and
/// hmax_wide_preset() gives every variant's defaults at any input size.
struct HmaxWideOptions {
  TORCH_ARG(int64_t, in_chans) = 3;
  TORCH_ARG(int64_t, num_classes) = 1000;
  TORCH_ARG(int64_t, width) = 96;      ///< S1 filters
  TORCH_ARG(int64_t, s1_kernel) = 11;  ///< S1 kernel side (odd)
  TORCH_ARG(int64_t, s1_stride) = 4;
  TORCH_ARG(int, scales) = 3;      ///< pyramid levels
  TORCH_ARG(int64_t, c_pool) = 3;  ///< C-stage spatial max pool window
  TORCH_ARG(int64_t, c_stride) = 2;
  TORCH_ARG(int64_t, s2_width) = 256;
  TORCH_ARG(int64_t, s2_kernel) = 5;  ///< odd
  TORCH_ARG(int64_t, s3_width) = 384;
  TORCH_ARG(int64_t, s3_kernel) = 3;  ///< odd
  TORCH_ARG(bool, batchnorm) = true;
  TORCH_ARG(bool, conv1x1) = false;
  TORCH_ARG(bool, residual) = false;
  TORCH_ARG(bool, stage3) = true;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(ScalePoolKind, scale_pool) = ScalePoolKind::max;
  TORCH_ARG(bool, global_max) = true;  ///< global pooling over space: max (HMAX C2) or mean
  // hmax-hgru and hmax-gamma
  TORCH_ARG(Recurrence, recurrence) = Recurrence::none;
  TORCH_ARG(int64_t, timesteps) = 6;       ///< steps while training
  TORCH_ARG(int64_t, eval_timesteps) = 0;  ///< steps in eval mode; 0: timesteps
  TORCH_ARG(recurrent::RecurrentGrad, recurrent_grad) = recurrent::RecurrentGrad::bptt;
  TORCH_ARG(recurrent::CrbpOptions, crbp) = {};  ///< C-RBP series and Lipschitz penalty settings
  TORCH_ARG(int64_t, hgru_kernel) = 7;           ///< horizontal (hGRU or fGRU) kernel side (odd)
  TORCH_ARG(bool, hgru_s2) = false;              ///< hmax-hgru: a second hGRU on the S2 maps
  /// hmax-hgru per-step normalisation (none under C-RBP, whose fixed point needs one step map).
  TORCH_ARG(recurrent::StepNorm, hgru_norm) = recurrent::StepNorm::batch;
};

/// The defaults of a variant at an input size: the struct's, with the small-image changes
/// below kSmallImageSide px (width 32, 5x5 stride-1 S1, S2/S3 widths 64/128, 3x3 S2, 5x5
/// horizontal kernels) and 4 steps for hmax-gamma.
HmaxWideOptions hmax_wide_preset(int input_size, Recurrence recurrence);

/// Options of hmax-wide from `--model-opt` keys (plus input_size, in_chans, num_classes
/// from the trainer); unknown keys are left for reject_unknown().
HmaxWideOptions read_hmax_wide_options(models::ModelOptionReader& read);
/// hmax-wide's keys plus timesteps, eval_timesteps, recurrent_grad (with lipschitz_lambda,
/// lipschitz_weight under crbp), hgru_kernel, hgru_s2, hgru_norm.
HmaxWideOptions read_hmax_hgru_options(models::ModelOptionReader& read);
/// hmax-wide's keys plus timesteps, eval_timesteps, recurrent_grad (bptt only), fgru_kernel.
HmaxWideOptions read_hmax_gamma_options(models::ModelOptionReader& read);

class HmaxWideImpl : public models::VisionModelImpl {
 public:
  explicit HmaxWideImpl(HmaxWideOptions options);

  std::vector<std::string> layer_names() const override;
  int input_channels() const override { return static_cast<int>(options.in_chans()); }
  std::string model_name() const override;

  /// Convolution FLOPs (2 x multiply-adds) of one forward pass on an H x W image; a
  /// training step costs about three times this (forward, and twice for backward).
  int64_t forward_flops(int64_t height, int64_t width) const;

  HmaxWideOptions options;

 protected:
  torch::Tensor run(const torch::Tensor& images, models::ForwardPass& pass) override;

 private:
  /// Runs `cell` on every band for the mode's number of steps; records wanted per-step layers
  /// and adds C-RBP's penalty to the pass.
  std::vector<torch::Tensor> recur(recurrent::RecurrentCellImpl& cell,
                                   const std::vector<torch::Tensor>& bands, const std::string& stage,
                                   models::ForwardPass& pass);
  /// hmax-gamma: the coupled C1 / S2 circuits on every band; returns the final S2 states.
  std::vector<torch::Tensor> gamma_loop(const std::vector<torch::Tensor>& c1, models::ForwardPass& pass);
  int64_t steps() const;
  int64_t eval_steps() const {
    return options.eval_timesteps() > 0 ? options.eval_timesteps() : options.timesteps();
  }

  SBlock s1_{nullptr}, s2_{nullptr}, s3_{nullptr};
  ScalePool c1_{nullptr}, c2_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear head_{nullptr};
  recurrent::RecurrentCell h1_{nullptr}, h2_{nullptr};
  recurrent::FGruTopDown top_down_{nullptr};
};
TORCH_MODULE(HmaxWide);

}  // namespace ventral::hmax
