#include "neural_fit/ridge.h"

#include <stdexcept>

#include "neural_fit/linalg.h"

namespace ventral::neural_fit {

LinearFit ridge_primal(const Matrix& x, const Matrix& y, double alpha) {
  if (!(alpha > 0)) throw std::invalid_argument("ridge: alpha must be positive");
  LinearFit fit;
  fit.x_mean = column_means(x);
  fit.y_mean = column_means(y);
  Matrix xc = x.rowwise() - fit.x_mean;
  Matrix yc = y.rowwise() - fit.y_mean;
  Matrix a = xc.transpose() * xc;
  a.diagonal().array() += alpha;
  fit.coef = a.llt().solve(xc.transpose() * yc);
  return fit;
}

LinearFit ridge_dual(const Matrix& gram, const Matrix& y, double alpha) {
  if (!(alpha > 0)) throw std::invalid_argument("ridge: alpha must be positive");
  LinearFit fit;
  fit.dual = true;
  fit.y_mean = column_means(y);
  Matrix a = gram;
  a.diagonal().array() += alpha;
  fit.coef = a.llt().solve(Matrix(y.rowwise() - fit.y_mean));
  return fit;
}

}  // namespace ventral::neural_fit
