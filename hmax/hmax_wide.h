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
// C-RBP (with its Lipschitz penalty as auxiliary_loss()). Its per-step states are layers
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
#include "hmax/vision_model.h"
#include "recurrent_cells/fgru.h"
#include "recurrent_cells/recurrent_cell.h"

namespace ventral::hmax {

/// Inputs smaller than this get the small-image defaults (28-64 px datasets).
constexpr int kSmallImageLimit = 96;

struct HmaxWideOptions {
  TORCH_ARG(int64_t, in_chans) = 3;
  TORCH_ARG(int64_t, num_classes) = 1000;
  TORCH_ARG(int64_t, width) = 96;          ///< S1 filters
  TORCH_ARG(int64_t, s1_kernel) = 11;
  TORCH_ARG(int64_t, s1_stride) = 4;
  TORCH_ARG(int, scales) = 3;              ///< pyramid levels
  TORCH_ARG(int64_t, c_pool) = 3;          ///< C-stage spatial max pool window
  TORCH_ARG(int64_t, c_stride) = 2;
  TORCH_ARG(int64_t, s2_width) = 256;
  TORCH_ARG(int64_t, s2_kernel) = 5;
  TORCH_ARG(int64_t, s3_width) = 384;
  TORCH_ARG(int64_t, s3_kernel) = 3;
  TORCH_ARG(bool, batchnorm) = true;
  TORCH_ARG(bool, conv1x1) = false;
  TORCH_ARG(bool, residual) = false;
  TORCH_ARG(bool, stage3) = true;
  TORCH_ARG(double, dropout) = 0.0;
  TORCH_ARG(ScalePoolKind, scale_pool) = ScalePoolKind::max;
  TORCH_ARG(bool, global_max) = true;      ///< global pooling over space: max (HMAX C2) or mean
  // hmax-hgru only
  TORCH_ARG(bool, recurrent) = false;      ///< recurrent circuits (hmax-hgru, hmax-gamma)
  TORCH_ARG(bool, gamma) = false;          ///< hmax-gamma: fGRU on C1 and S2 plus top-down
  TORCH_ARG(int64_t, timesteps) = 6;       ///< steps while training
  TORCH_ARG(int64_t, eval_timesteps) = 0;  ///< steps in eval mode; 0: timesteps
  TORCH_ARG(bool, crbp) = false;           ///< C-RBP instead of BPTT
  TORCH_ARG(int64_t, hgru_kernel) = 5;     ///< horizontal kernel side (odd)
  TORCH_ARG(bool, hgru_s2) = false;        ///< a second hGRU on the S2 maps
  TORCH_ARG(std::string, hgru_norm) = "batch";  ///< per-step normalisation: none, batch, instance
};

/// Options from `--model-opt key=value` pairs, with defaults chosen by `input_size`
/// (small images: width 32, 5x5 stride-1 S1, 64/128-wide S2/S3; 224 px: AlexNet-like
/// 96 11x11 stride-4 S1, 256 and 384). Records resolved values in `resolved`.
enum class Recurrence { none, hgru, gamma };

/// Options of hmax-wide (Recurrence::none), hmax-hgru (also timesteps, eval_timesteps,
/// recurrent_grad, hgru_kernel, hgru_s2, hgru_norm) or hmax-gamma (timesteps, eval_timesteps,
/// recurrent_grad = bptt, fgru_kernel). Keys of another variant are rejected as unknown.
HmaxWideOptions hmax_wide_options(const std::map<std::string, std::string>& given,
                                  std::map<std::string, std::string>& resolved,
                                  Recurrence recurrence = Recurrence::none);

class HmaxWideImpl : public VisionModelImpl {
 public:
  explicit HmaxWideImpl(HmaxWideOptions options);

  torch::Tensor forward(torch::Tensor images) override;
  NamedTensors features(torch::Tensor images, const std::vector<std::string>& names) override;
  std::vector<std::string> layer_names() const override;
  int input_channels() const override { return static_cast<int>(options.in_chans()); }
  std::string model_name() const override {
    return options.gamma() ? "hmax-gamma" : options.recurrent() ? "hmax-hgru" : "hmax-wide";
  }
  /// The weighted Lipschitz penalty of the last C-RBP training pass (undefined otherwise).
  torch::Tensor auxiliary_loss() const override { return auxiliary_loss_; }

  /// Convolution FLOPs (2 x multiply-adds) of one forward pass on an H x W image; a
  /// training step costs about three times this (forward, and twice for backward).
  int64_t forward_flops(int64_t height, int64_t width) const;

  HmaxWideOptions options;

 private:
  /// Runs the model, storing every layer named in `keep` (leaf names) into `out`.
  torch::Tensor run(const torch::Tensor& images, const std::vector<std::string>& keep,
                    std::map<std::string, torch::Tensor>& out);
  /// Runs `cell` on every band for the mode's number of steps; records wanted per-step layers.
  std::vector<torch::Tensor> recur(recurrent::RecurrentCellImpl& cell, const std::vector<torch::Tensor>& bands,
                                   const std::string& stage, const std::vector<std::string>& keep,
                                   std::map<std::string, torch::Tensor>& out);
  /// hmax-gamma: the coupled C1 / S2 circuits on every band; returns the final S2 states.
  std::vector<torch::Tensor> gamma_loop(const std::vector<torch::Tensor>& c1, const std::vector<std::string>& keep,
                                        std::map<std::string, torch::Tensor>& out);
  int64_t steps() const;
  int64_t eval_steps() const { return options.eval_timesteps() > 0 ? options.eval_timesteps() : options.timesteps(); }

  SBlock s1_{nullptr}, s2_{nullptr}, s3_{nullptr};
  ScalePool c1_{nullptr}, c2_{nullptr};
  torch::nn::Dropout dropout_{nullptr};
  torch::nn::Linear head_{nullptr};
  recurrent::RecurrentCell h1_{nullptr}, h2_{nullptr};
  recurrent::FGruTopDown top_down_{nullptr};
  torch::Tensor auxiliary_loss_;
};
TORCH_MODULE(HmaxWide);

}  // namespace ventral::hmax
