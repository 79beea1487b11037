#include "recurrent_cells/fft_conv.h"

#include <torch/torch.h>

#include "common/error.h"

namespace ventral::recurrent {

std::vector<std::pair<std::string, ConvMethod>> conv_method_names() {
  return {{"auto", ConvMethod::automatic}, {"direct", ConvMethod::direct}, {"fft", ConvMethod::fft}};
}

ConvMethod parse_conv_method(const std::string& name) {
  if (name == "auto") return ConvMethod::automatic;
  if (name == "direct") return ConvMethod::direct;
  if (name == "fft") return ConvMethod::fft;
  fail("unknown convolution method '{}'; known: auto, direct, fft", name);
}

int64_t fft_friendly_size(int64_t minimum) {
  for (int64_t n = std::max<int64_t>(minimum, 1);; ++n) {
    int64_t m = n;
    for (int64_t p : {2, 3, 5}) {
      while (m % p == 0) m /= p;
    }
    if (m == 1) return n;
  }
}

torch::Tensor fft_conv2d_same(const torch::Tensor& x, const torch::Tensor& weight) {
  const int64_t batch = x.size(0), in = x.size(1), height = x.size(2), width = x.size(3);
  const int64_t out = weight.size(0), k = weight.size(2), pad = k / 2;
  if (weight.size(1) != in || weight.size(3) != k || k % 2 == 0) {
    fail("fft_conv2d_same: expected weight [O, {}, k, k] with odd k, got [{}, {}, {}, {}]", in, out,
         weight.size(1), weight.size(2), weight.size(3));
  }
  // Cross-correlation is convolution with the flipped kernel; the linear (not circular) result
  // needs a grid of H + k - 1, and the "SAME" output starts `pad` samples into it.
  const int64_t n_y = fft_friendly_size(height + k - 1), n_x = fft_friendly_size(width + k - 1);
  const auto image_f = torch::fft::rfft2(x, {{n_y, n_x}});                     // [B, C, ny, fx]
  const auto kernel_f = torch::fft::rfft2(weight.flip({2, 3}), {{n_y, n_x}});  // [O, C, ny, fx]
  const int64_t freqs = n_y * (n_x / 2 + 1);
  // One [O x C] by [C x B] complex product per frequency.
  const auto a = kernel_f.reshape({out, in, freqs}).permute({2, 0, 1});   // [F, O, C]
  const auto b = image_f.reshape({batch, in, freqs}).permute({2, 1, 0});  // [F, C, B]
  const auto product = torch::matmul(a, b).permute({2, 1, 0}).reshape({batch, out, n_y, n_x / 2 + 1});
  const auto full = torch::fft::irfft2(product, {{n_y, n_x}});
  return full.narrow(2, pad, height).narrow(3, pad, width);
}

torch::Tensor horizontal_conv2d(const torch::Tensor& x, const torch::Tensor& weight, ConvMethod method) {
  const int64_t k = weight.size(2);
  const bool use_fft = method == ConvMethod::fft || (method == ConvMethod::automatic && k >= 13);
  return use_fft ? fft_conv2d_same(x, weight) : torch::conv2d(x, weight, {}, 1, k / 2);
}

}  // namespace ventral::recurrent
