#include "neural_fit/linear.h"

#include <algorithm>
#include <limits>

#include "neural_fit/linalg.h"

namespace ventral::neural_fit {

LinearFit least_squares_primal(const Matrix& x, const Matrix& y) {
  LinearFit fit;
  fit.x_mean = column_means(x);
  fit.y_mean = column_means(y);
  Matrix xc = x.rowwise() - fit.x_mean;
  Eigen::CompleteOrthogonalDecomposition<Matrix> cod(xc);
  cod.setThreshold(std::numeric_limits<double>::epsilon() *
                   static_cast<double>(std::max(x.rows(), x.cols())));
  fit.coef = cod.solve(Matrix(y.rowwise() - fit.y_mean));
  return fit;
}

LinearFit least_squares_dual(const Matrix& gram, const Matrix& y) {
  LinearFit fit;
  fit.dual = true;
  fit.y_mean = column_means(y);
  Vector values;
  Matrix vectors;
  symmetric_eigen(gram, values, vectors);
  double cutoff = values.size() ? values.cwiseAbs().maxCoeff() * std::numeric_limits<double>::epsilon() *
                                      static_cast<double>(gram.rows())
                                : 0.0;
  Vector inv = Vector::Zero(values.size());
  for (Index i = 0; i < values.size(); ++i) {
    if (values(i) > cutoff) inv(i) = 1.0 / values(i);
  }
  Matrix yc = y.rowwise() - fit.y_mean;
  fit.coef = vectors * (inv.asDiagonal() * (vectors.transpose() * yc));
  return fit;
}

}  // namespace ventral::neural_fit
