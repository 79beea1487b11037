#include "hmax/box_filter.h"

#include <torch/torch.h>

namespace ventral::hmax {

namespace F = torch::nn::functional;

IntegralImage::IntegralImage(const torch::Tensor& x, int64_t margin)
    : margin_(margin), height_(x.size(-2)), width_(x.size(-1)) {
  TORCH_CHECK(x.dim() >= 2, "IntegralImage expects at least 2 dimensions, got ", x.dim());
  TORCH_CHECK(margin >= 0, "IntegralImage margin must be non-negative");
  // One extra zero row and column in front make every window a difference of entries.
  auto padded = F::pad(x, F::PadFuncOptions({margin + 1, margin, margin + 1, margin}));
  table_ = padded.cumsum(-2).cumsum(-1).contiguous();
}

torch::Tensor IntegralImage::window_sum(int64_t before, int64_t after) const {
  TORCH_CHECK(before >= 0 && after >= 0 && before <= margin_ && after <= margin_, "window (", before,
              ", ", after, ") exceeds the integral image margin ", margin_);
  // Row i of x is row i + margin + 1 of the table; the window ends at i + after and starts
  // after i - before - 1.
  const int64_t end = margin_ + 1 + after, start = margin_ - before;
  const int64_t rd = table_.dim() - 2, cd = table_.dim() - 1;
  auto rows_end = table_.narrow(rd, end, height_), rows_start = table_.narrow(rd, start, height_);
  return rows_end.narrow(cd, end, width_) - rows_end.narrow(cd, start, width_) -
         rows_start.narrow(cd, end, width_) + rows_start.narrow(cd, start, width_);
}

torch::Tensor box_sum_2d(const torch::Tensor& x, int64_t before, int64_t after) {
  return IntegralImage(x, std::max(before, after)).window_sum(before, after);
}

}  // namespace ventral::hmax
