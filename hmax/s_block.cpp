#include "hmax/s_block.h"

#include <torch/nn/modules/activation.h>

#include <algorithm>

#include "layers/batch_norm.h"

namespace ventral::hmax {
namespace {

namespace nn = torch::nn;

// conv (bias only without batch norm: BN's shift makes it redundant) [+ BN].
void add_conv(nn::Sequential& seq, int64_t in, int64_t out, int64_t kernel, int64_t stride,
              bool batchnorm) {
  seq->push_back(nn::Conv2d(
      nn::Conv2dOptions(in, out, kernel).stride(stride).padding(kernel / 2).bias(!batchnorm)));
  if (batchnorm) seq->push_back(layers::BatchNorm2d(out));
}

}  // namespace

SBlockImpl::SBlockImpl(SBlockOptions opts) : options(std::move(opts)) {
  const auto in = options.in_channels();
  const auto out = options.out_channels();
  const bool bn = options.batchnorm();
  main_ = nn::Sequential();
  if (options.conv1x1()) {
    const int64_t mid = std::max<int64_t>(8, out / 4);
    add_conv(main_, in, mid, 1, 1, bn);
    main_->push_back(nn::ReLU(nn::ReLUOptions(true)));
    add_conv(main_, mid, mid, options.kernel(), options.stride(), bn);
    main_->push_back(nn::ReLU(nn::ReLUOptions(true)));
    add_conv(main_, mid, out, 1, 1, bn);
  } else {
    add_conv(main_, in, out, options.kernel(), options.stride(), bn);
  }
  register_module("main", main_);
  if (options.residual() && (in != out || options.stride() != 1)) {
    shortcut_ = nn::Sequential();
    add_conv(shortcut_, in, out, 1, options.stride(), bn);
    register_module("shortcut", shortcut_);
  }
}

int64_t SBlockImpl::forward_flops(int64_t in_h, int64_t in_w, int64_t* out_h, int64_t* out_w) const {
  auto walk = [](const nn::Sequential& seq, int64_t& h, int64_t& w) {
    int64_t flops = 0;
    for (const auto& module : seq->children()) {
      auto conv = std::dynamic_pointer_cast<nn::Conv2dImpl>(module);
      if (!conv) continue;
      const auto& o = conv->options;
      const int64_t k = o.kernel_size()->at(0), s = o.stride()->at(0);
      const int64_t p = c10::get<torch::ExpandingArray<2>>(o.padding())->at(0);
      h = (h + 2 * p - k) / s + 1;
      w = (w + 2 * p - k) / s + 1;
      flops += 2 * h * w * o.out_channels() * o.in_channels() / o.groups() * k * k;
    }
    return flops;
  };
  int64_t h = in_h, w = in_w;
  int64_t flops = walk(main_, h, w);
  if (shortcut_) {
    int64_t sh = in_h, sw = in_w;
    flops += walk(shortcut_, sh, sw);
  }
  if (out_h) *out_h = h;
  if (out_w) *out_w = w;
  return flops;
}

torch::Tensor SBlockImpl::forward(const torch::Tensor& x) {
  auto y = main_->forward(x);
  if (options.residual()) y = y + (shortcut_ ? shortcut_->forward(x) : x);
  return torch::relu(y);
}

}  // namespace ventral::hmax
