// Selected rows of float32 features, centred, as a float64 linear operator that never
// materialises the centred (or even a gathered) copy: Xc = X[rows] - 1 m^T is applied
// column block by column block, each block cast to float64 and centred in one small
// scratch buffer, so the arithmetic is that of the explicit float64 path (same values,
// only the summation order differs) at the memory of one block. Products with one column
// skip the block and stream the float32 rows through plain loops (AVX2 clones where the
// CPU has it). Used by KernelPls::fit_rows (the direct PLS form; kernel_pls.h).
#pragma once

#include "neural_fit/types.h"

namespace ventral::neural_fit {

class CentredRows {
 public:
  /// Rows `rows` of `x` (N x p, kept by reference: it must outlive this object), centred
  /// with their own column means (float64 sums of the float32 values). `block_columns`
  /// (0: automatic, ~2 MB of float64 per block) sets the scratch block width.
  CentredRows(const FeatureMatrix& x, Rows rows, Index block_columns = 0);
  /// As above but centred with a given mean (1 x p), e.g. the training mean for test rows.
  CentredRows(const FeatureMatrix& x, Rows rows, RowVector mean, Index block_columns = 0);

  Index rows() const { return static_cast<Index>(rows_.size()); }
  Index cols() const { return x_.cols(); }
  /// The centring mean (1 x p).
  const RowVector& mean() const { return mean_; }

  /// Xc b: (n x c) for b (p x c).
  Matrix times(const Matrix& b) const;
  /// Xc^T v: (p x c) for v (n x c).
  Matrix transpose_times(const Matrix& v) const;
  /// Xc (Xc^T v): (n x c) for v (n x c), in one pass over the features.
  Matrix gram_times(const Matrix& v) const;

 private:
  using Block = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  /// Columns [begin, begin + width) of Xc into `block` (n x width).
  void load(Index begin, Index width, Block& block) const;
  /// gram_times for one column, without the block.
  Vector gram_times_vector(const Vector& v) const;

  const FeatureMatrix& x_;
  Rows rows_;
  RowVector mean_;
  Index block_columns_;
};

}  // namespace ventral::neural_fit
