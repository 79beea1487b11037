// "SAME" convolution by FFT for the horizontal kernels of the hGRU and fGRU.
//
// A horizontal kernel is wide (9x9 to 15x15 in the Pathfinder setups) and applied twice per step
// for T steps, so a direct convolution costs K^2 k^2 multiply-adds per pixel and dominates
// training. Through the FFT the cost per pixel is K^2 complex multiply-adds plus two transforms,
// almost independent of k: at 32x32 maps and k = 9 that is about 20x fewer operations.
#pragma once

#include <torch/types.h>

#include <string>
#include <utility>
#include <vector>

namespace ventral::recurrent {

/// How a cell computes its horizontal convolutions.
enum class ConvMethod { automatic, direct, fft };

/// Names of the values, for option readers ({"auto", ConvMethod::automatic}, ...).
std::vector<std::pair<std::string, ConvMethod>> conv_method_names();

/// Parses "auto" | "direct" | "fft" (throws ventral::Error naming the value).
ConvMethod parse_conv_method(const std::string& name);

/// torch::conv2d(x, weight, {}, 1, k / 2) for x [N, C, H, W], weight [O, C, k, k] with odd k
/// (zero padding, cross-correlation), computed as a product of real FFTs over a grid of at
/// least H + k - 1 by W + k - 1 (rounded up to 2^a 3^b 5^c). Differentiable in x and weight.
torch::Tensor fft_conv2d_same(const torch::Tensor& x, const torch::Tensor& weight);

/// The same convolution by `method`; `automatic` takes the FFT for kernels of 13 and wider
/// (where it was faster in bench_horizontal_conv), the direct convolution otherwise.
torch::Tensor horizontal_conv2d(const torch::Tensor& x, const torch::Tensor& weight, ConvMethod method);

/// Smallest n >= minimum whose only prime factors are 2, 3 and 5.
int64_t fft_friendly_size(int64_t minimum);

}  // namespace ventral::recurrent
