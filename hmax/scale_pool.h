// A C stage of the trainable HMAX family: spatial max pooling on every scale, then a
// combination of each pair of adjacent scales (the smaller resized bilinearly to the
// larger): their element-wise max, or the "soft" selection of the Serre lab's RESMAX
// (C = sum_i softmax_i(score_i) * feature_i, the score a fixed random projection of
// the globally averaged features, frozen as in the reference ConvScoring).
// n scales in, n - 1 out; a single scale is only pooled spatially.
#pragma once

#include <torch/nn/module.h>
#include <torch/nn/pimpl.h>

#include <string>
#include <utility>
#include <vector>

namespace ventral::hmax {

enum class ScalePoolKind { max, soft };
/// {"max", ScalePoolKind::max}, {"soft", ScalePoolKind::soft}: for option readers.
std::vector<std::pair<std::string, ScalePoolKind>> scale_pool_kind_names();

struct ScalePoolOptions {
  ScalePoolOptions(int64_t channels, int64_t kernel, int64_t stride)
      : channels_(channels), kernel_(kernel), stride_(stride) {}
  TORCH_ARG(int64_t, channels);
  TORCH_ARG(int64_t, kernel);
  TORCH_ARG(int64_t, stride);
  TORCH_ARG(ScalePoolKind, kind) = ScalePoolKind::max;
};

class ScalePoolImpl : public torch::nn::Module {
 public:
  explicit ScalePoolImpl(ScalePoolOptions options);
  std::vector<torch::Tensor> forward(const std::vector<torch::Tensor>& scales);

  ScalePoolOptions options;

 private:
  torch::Tensor score_weight_;  ///< (channels): frozen random projection for the soft kind
};
TORCH_MODULE(ScalePool);

/// Global pooling over space and scale: each scale's map is pooled over space (max or
/// mean), then the max is taken over scales. Returns (N, C).
torch::Tensor global_scale_pool(const std::vector<torch::Tensor>& scales, bool spatial_max);

}  // namespace ventral::hmax
