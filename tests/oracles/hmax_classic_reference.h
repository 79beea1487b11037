// A straightforward LibTorch implementation of classic HMAX, written the way the public
// PyTorch port does it: one full-resolution convolution per S1 scale (kernels up to
// 37 x 37) and one ones-kernel convolution per scale for the local norms; S2 window
// sums by convolution too. It is an independent check of ventral's fast path in the
// tests (tests/hmax) and the peer that benchmarks/speed/bench_hmax_classic measures it against;
// a test oracle, so it lives under tests/, outside every production library.
#pragma once

#include <torch/types.h>

#include <vector>

namespace ventral::oracles {

struct ReferenceHmaxOutput {
  std::vector<torch::Tensor> s1;  ///< 16 x (N, 4, H, W)
  std::vector<torch::Tensor> c1;  ///< 8 x (N, 4, Hb, Wb)
  torch::Tensor c2;               ///< (N, P), empty without prototypes
};

/// images: (N, 1, H, W) float 0..255; prototypes: per size (P, 4, m, m), euclidean S2.
ReferenceHmaxOutput reference_hmax(const torch::Tensor& images,
                                   const std::vector<torch::Tensor>& prototypes, bool keep_s1 = false);

}  // namespace ventral::oracles
