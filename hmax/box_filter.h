// Box (window) sums from running sums: O(1) per output whatever the window size, and
// exact in float64 for integer-valued inputs. HMAX's local norms and S2's sum of
// squares are box sums; computing them this way replaces the 16 + 32 convolutions with
// ones-kernels (up to 37 x 37) of the reference implementation.
#pragma once

#include <torch/types.h>

namespace ventral::hmax {

/// Summed-area table of x (..., H, W), zero-padded by `margin` on every side, so that any
/// window reaching at most `margin` past the image can be summed with four lookups.
class IntegralImage {
 public:
  IntegralImage(const torch::Tensor& x, int64_t margin);

  /// out(..., i, j) = sum of x over rows i-before..i+after and columns j-before..j+after,
  /// positions outside x counting as 0. Requires before, after <= margin.
  torch::Tensor window_sum(int64_t before, int64_t after) const;

  /// The table itself, contiguous: (..., H + 2 margin + 1, W + 2 margin + 1); entry
  /// (i, j) is the sum of the padded input over rows < i and columns < j.
  const torch::Tensor& table() const { return table_; }
  int64_t margin() const { return margin_; }

 private:
  torch::Tensor table_;  // (..., H + 2 margin + 1, W + 2 margin + 1), leading zero row/column
  int64_t margin_, height_, width_;
};

/// One-off box sum (see IntegralImage::window_sum).
torch::Tensor box_sum_2d(const torch::Tensor& x, int64_t before, int64_t after);

}  // namespace ventral::hmax
