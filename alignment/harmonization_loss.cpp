#include "alignment/harmonization_loss.h"

#include <torch/torch.h>

#include "common/error.h"

namespace ventral::alignment {
namespace {

namespace F = torch::nn::functional;

// TF SAME padding of one axis for a 5-tap, stride-2 convolution: (before, after).
std::pair<int64_t, int64_t> same_padding(int64_t size) {
  const int64_t out = (size + 1) / 2;
  const int64_t total = std::max<int64_t>((out - 1) * 2 + 5 - size, 0);
  return {total / 2, total - total / 2};
}

}  // namespace

torch::Tensor standardize_cut(const torch::Tensor& maps, double eps) {
  const auto mean = maps.mean({1, 2}, /*keepdim=*/true);
  const auto std = maps.std({1, 2}, /*unbiased=*/false, /*keepdim=*/true);  // TF reduce_std
  return torch::relu((maps - mean) / (std + eps));
}

torch::Tensor pyramid_down(const torch::Tensor& maps) {
  const auto taps = torch::tensor({1.0, 4.0, 6.0, 4.0, 1.0}, maps.options());
  const auto kernel = (torch::outer(taps, taps) / 256.0).view({1, 1, 5, 5});
  const auto [top, bottom] = same_padding(maps.size(1));
  const auto [left, right] = same_padding(maps.size(2));
  const auto padded = F::pad(maps.unsqueeze(1), F::PadFuncOptions({left, right, top, bottom}));
  return F::conv2d(padded, kernel, F::Conv2dFuncOptions().stride(2)).squeeze(1);
}

torch::Tensor harmonization_loss(const torch::Tensor& logits, const torch::Tensor& inputs,
                                 const torch::Tensor& labels, const torch::Tensor& human_maps,
                                 const torch::Tensor& tokens, const HarmonizationLossOptions& options) {
  if (!inputs.requires_grad())
    fail("harmonization loss: the inputs must require grad (the saliency is d logit / d input)");
  const int64_t n = inputs.size(0);
  if (human_maps.dim() != 3 || human_maps.size(0) != n || human_maps.size(1) != inputs.size(2) ||
      human_maps.size(2) != inputs.size(3)) {
    fail("harmonization loss: human maps of shape {} for inputs of shape {}; expected N x H x W",
         c10::str(human_maps.sizes()), c10::str(inputs.sizes()));
  }
  // s_n = true-class logit; g_n = d s_n / d x_n kept in the graph (create_graph).
  const auto picked = logits.gather(1, labels.view({-1, 1})).sum();
  const auto gradient = torch::autograd::grad({picked}, {inputs}, {}, /*retain_graph=*/true,
                                              /*create_graph=*/true)[0];
  const auto saliency = standardize_cut(gradient.mean(1), options.std_eps);  // A: signed channel mean
  const auto human_cut = standardize_cut(human_maps.to(saliency.dtype()), options.std_eps);
  const auto human_peak = std::get<0>(human_cut.flatten(1).max(1)).view({n, 1, 1});
  const auto saliency_peak = std::get<0>(saliency.flatten(1).max(1)).view({n, 1, 1}).detach();
  auto human = human_cut / (human_peak + options.rescale_eps) *
               (saliency_peak + options.rescale_eps);  // B
  const auto weight = tokens.to(saliency.dtype()).view({n, 1, 1});
  auto a = saliency;
  torch::Tensor total = torch::zeros({}, saliency.options());
  for (int level = 0; level < options.levels; ++level) {
    if (level > 0) {
      a = pyramid_down(a);
      human = pyramid_down(human);
    }
    total = total + ((a - human).pow(2) * weight).mean();  // mean over the whole batch, not / sum(t)
  }
  return total / options.levels;
}

}  // namespace ventral::alignment
