// Floating-point operations of one forward pass, counted from the operators that actually
// run (ATen's RecordFunction callbacks, as torch.profiler's with_flops does), so every model
// family, recurrent unrolling included, is counted without per-model formulas.
#pragma once

#include <torch/nn/module.h>
#include <torch/types.h>

#include <cstdint>
#include <functional>

namespace ventral::models {

/// FLOPs (2 x multiply-adds) of the convolutions and matrix products run by `forward`:
/// aten::convolution, aten::addmm, aten::mm, aten::bmm, each counted once (operators
/// nested in a counted one are not counted again). Element-wise operations, pooling and
/// normalisation are left out, as fvcore and ptflops leave them out.
int64_t count_flops(const std::function<void()>& forward);

/// Formulas the counter applies, exposed for tests: a (non-transposed) convolution of an
/// N x C x H x W input with a weight O x C/groups x kH x kW, and a product [b] x n x k @ k x m.
int64_t convolution_flops(at::IntArrayRef input, at::IntArrayRef weight, at::IntArrayRef stride,
                          at::IntArrayRef padding, at::IntArrayRef dilation, bool transposed);
int64_t matmul_flops(int64_t batch, int64_t n, int64_t k, int64_t m);

}  // namespace ventral::models
