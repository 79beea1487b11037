#include "neural_fit/pca.h"

#include <algorithm>
#include <cmath>

#include "neural_fit/linalg.h"
#include "neural_fit/simulate.h"

namespace ventral::neural_fit {
namespace {

Matrix orthonormal_basis(const Matrix& m) {
  Eigen::HouseholderQR<Matrix> qr(m);
  return qr.householderQ() * Matrix::Identity(m.rows(), m.cols());
}

}  // namespace

Matrix pca_scores_from_gram(const Matrix& gram, const RandomizedSvdOptions& options,
                            Vector* singular_values) {
  const Index n = gram.rows();
  const Index k = std::min(options.components, n);
  const Index l = std::min(k + options.oversampling, n);
  Matrix q = orthonormal_basis(gram * standard_normal(n, l, options.seed));
  for (int i = 0; i < options.power_iterations; ++i) q = orthonormal_basis(gram * q);
  Matrix b = q.transpose() * gram * q;
  b = (0.5 * (b + b.transpose())).eval();
  Vector values;
  Matrix vectors;
  symmetric_eigen(b, values, vectors);  // ascending
  Matrix scores(n, k);
  Vector s(k);
  for (Index c = 0; c < k; ++c) {
    const Index src = l - 1 - c;
    s(c) = std::sqrt(std::max(0.0, values(src)));
    scores.col(c) = q * vectors.col(src) * s(c);
  }
  if (singular_values) *singular_values = s;
  return scores;
}

}  // namespace ventral::neural_fit
