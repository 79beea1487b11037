// The feature matrix of one layer (N stimuli x p units, float32 as stored) and, computed
// once on demand, its Gram matrix in float64. Every split's centred train Gram and test
// cross-Gram are cut from that one Gram, so a 10-split fit of a 100k-wide layer reads
// the features once: G = (X - m)(X - m)^T costs N^2 p, each split then O(n^2 q).
#pragma once

#include "neural_fit/types.h"

namespace ventral::neural_fit {

class FeatureDesign {
 public:
  /// Takes ownership of the features (N x p).
  explicit FeatureDesign(FeatureMatrix features);
  /// A design given directly by float64 features (PCA scores, tests); stored as float32,
  /// like features read from a file.
  explicit FeatureDesign(const Matrix& features);

  Index samples() const { return features_.rows(); }
  Index width() const { return features_.cols(); }
  const FeatureMatrix& features() const { return features_; }

  /// Gram of the features centred with the mean over all N rows (N x N, float64).
  /// Centring first keeps the per-split re-centring below exact in floating point.
  const Matrix& gram() const;
  bool has_gram() const { return gram_.size() > 0; }

  /// Gram of the train rows centred with the train mean: Xc Xc^T (n x n).
  Matrix train_gram(const Rows& train) const;
  /// (X_test - mean_train)(X_train - mean_train)^T (m x n).
  Matrix cross_gram(const Rows& train, const Rows& test) const;
  /// The given rows as float64 (not centred).
  Matrix rows(const Rows& rows) const;
  /// Columns [begin, begin + count) of the given rows, float64.
  Matrix block(const Rows& rows, Index begin, Index count) const;

 private:
  FeatureMatrix features_;
  mutable Matrix gram_;
};

/// G = (X - m)(X - m)^T in float64 from float32 features, column block by column block
/// (peak extra memory: one N x 512 float64 block plus G).
Matrix centred_gram(const FeatureMatrix& x);

}  // namespace ventral::neural_fit
