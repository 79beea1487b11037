#include "neural_fit/resample.h"

#include <algorithm>
#include <cmath>

namespace ventral::neural_fit {

Matrix axis_resample_weights(Index in, Index out) {
  Matrix w = Matrix::Zero(out, in);
  if (in == out) return Matrix::Identity(out, in);
  for (Index i = 0; i < out; ++i) {
    if (in > out) {
      const Index begin = i * in / out, end = std::max(begin + 1, (i + 1) * in / out);
      for (Index k = begin; k < end; ++k) w(i, k) = 1.0 / static_cast<double>(end - begin);
    } else {
      double src = (static_cast<double>(i) + 0.5) * static_cast<double>(in) / static_cast<double>(out) -
                   0.5;
      src = std::clamp(src, 0.0, static_cast<double>(in - 1));
      const Index lo = static_cast<Index>(std::floor(src));
      const Index hi = std::min(lo + 1, in - 1);
      const double frac = src - static_cast<double>(lo);
      w(i, lo) += 1 - frac;
      w(i, hi) += frac;
    }
  }
  return w;
}

Matrix resample_to_grid(const float* map, Index channels, Index height, Index width, Index grid) {
  const Matrix wy = axis_resample_weights(height, grid), wx = axis_resample_weights(width, grid);
  Matrix out(grid * grid, channels);
  for (Index c = 0; c < channels; ++c) {
    Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>> m(
        map + c * height * width, height, width);
    Matrix g = wy * m.cast<double>() * wx.transpose();  // grid x grid
    for (Index y = 0; y < grid; ++y) {
      for (Index x = 0; x < grid; ++x) out(y * grid + x, c) = g(y, x);
    }
  }
  return out;
}

}  // namespace ventral::neural_fit
