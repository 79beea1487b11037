#include "neural_fit/ridge_cv.h"

#include <cmath>
#include <stdexcept>

#include "neural_fit/linalg.h"

namespace ventral::neural_fit {
namespace {

// Column of `basis` most aligned with the constant vector (sklearn _find_smallest_angle).
Index intercept_direction(const Matrix& basis) {
  Vector ones = Vector::Constant(basis.rows(), 1.0 / std::sqrt(double(basis.rows())));
  Index best;
  (basis.transpose() * ones).cwiseAbs().maxCoeff(&best);
  return best;
}

// Shared alpha loop: for each alpha, weights w (per basis column) and offset (added to
// the diagonal of G^-1 as offset * I) give c = U diag(w) U'y + offset y.
template <typename WeightFn>
RidgeCvFit select_alpha(const Matrix& basis, const Matrix& yc, const std::vector<double>& alphas,
                        WeightFn weights) {
  if (alphas.empty()) throw std::invalid_argument("ridgecv: empty alpha list");
  Matrix uty = basis.transpose() * yc;
  Matrix basis_sq = basis.array().square();
  RidgeCvFit best;
  double best_mse = 0;
  for (std::size_t i = 0; i < alphas.size(); ++i) {
    double offset = 0;
    Vector w = weights(alphas[i], &offset);
    Matrix c = basis * (w.asDiagonal() * uty) + offset * yc;
    Vector g_diag = (basis_sq * w).array() + offset;
    double mse = (c.array().colwise() / g_diag.array()).square().mean();
    best.loo_mse.push_back(mse);
    if (i == 0 || mse < best_mse) {
      best_mse = mse;
      best.alpha = alphas[i];
      best.fit.coef = std::move(c);
    }
  }
  return best;
}

}  // namespace

std::vector<double> reference_alphas() {
  std::vector<double> a = {0.01, 0.1, 0.5, 1.0};
  for (int i = 0; i < 4; ++i) a.push_back(10.0 + i * (100.0 - 10.0) / 4);
  for (double start = 1e2; start < 1e6; start *= 10) {
    for (int i = 0; i < 18; ++i) a.push_back(start + i * (start * 10 - start) / 18);
  }
  for (int i = 0; i < 19; ++i) a.push_back(1e6 + i * (1e7 - 1e6) / 18);
  return a;
}

RidgeCvFit ridge_cv_dual(const Matrix& gram, const Matrix& y, const std::vector<double>& alphas) {
  RowVector y_mean = column_means(y);
  Matrix yc = y.rowwise() - y_mean;
  Matrix k = gram;
  k.array() += 1.0;  // the intercept column of ones, orthogonal to centred X
  Vector values;
  Matrix q;
  symmetric_eigen(k, values, q);
  const Index intercept = intercept_direction(q);
  RidgeCvFit out = select_alpha(q, yc, alphas, [&](double alpha, double* offset) {
    *offset = 0;
    Vector w = (values.array() + alpha).inverse();
    w(intercept) = 0;
    return w;
  });
  out.fit.dual = true;
  out.fit.y_mean = y_mean;
  return out;
}

RidgeCvFit ridge_cv_primal(const Matrix& x, const Matrix& y, const std::vector<double>& alphas) {
  RowVector x_mean = column_means(x), y_mean = column_means(y);
  Matrix xa(x.rows(), x.cols() + 1);
  xa.leftCols(x.cols()) = x.rowwise() - x_mean;
  xa.col(x.cols()).setOnes();
  Eigen::BDCSVD<Matrix> svd(xa, Eigen::ComputeThinU);
  const Matrix& u = svd.matrixU();
  Vector s2 = svd.singularValues().array().square();
  const Index intercept = intercept_direction(u);
  Matrix yc = y.rowwise() - y_mean;
  RidgeCvFit out = select_alpha(u, yc, alphas, [&](double alpha, double* offset) {
    *offset = 1.0 / alpha;
    Vector w = (s2.array() + alpha).inverse() - 1.0 / alpha;
    w(intercept) = -1.0 / alpha;
    return w;
  });
  // dual coefficients c -> primal coef = Xc' c
  out.fit.coef = xa.leftCols(x.cols()).transpose() * out.fit.coef;
  out.fit.x_mean = x_mean;
  out.fit.y_mean = y_mean;
  return out;
}

}  // namespace ventral::neural_fit
