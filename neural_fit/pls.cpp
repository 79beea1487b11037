#include "neural_fit/pls.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "neural_fit/linalg.h"

namespace ventral::neural_fit {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

struct PowerResult {
  Vector w;  // x weights (unit norm up to eps)
  Vector c;  // y weights
  int n_iter = 0;
};

// sklearn's _get_first_singular_vectors_power_method, mode A, norm_y_weights=False.
PowerResult power_method(const Matrix& xk, const Matrix& yk, Index first_column,
                         const PlsOptions& options) {
  Vector u = yk.col(first_column);
  Vector w_old;
  PowerResult r;
  for (int i = 0; i < options.max_iter; ++i) {
    r.w = xk.transpose() * u / u.squaredNorm();
    r.w /= std::sqrt(r.w.squaredNorm()) + kEps;
    Vector t = xk * r.w;
    r.c = yk.transpose() * t / t.squaredNorm();
    u = yk * r.c / (r.c.squaredNorm() + kEps);
    r.n_iter = i + 1;
    // The first comparison is against the scalar 100, which never converges.
    bool converged = i > 0 && (r.w - w_old).squaredNorm() < options.tol;
    if (converged || yk.cols() == 1) break;
    w_old = r.w;
  }
  return r;
}

}  // namespace

int pls_components_for(int requested, Index n_features, Index n_samples,
                       std::vector<std::string>* warnings) {
  if (requested < 1) throw std::invalid_argument("PLS needs at least one component");
  if (n_features >= requested && n_samples - 1 >= requested) return requested;
  const Index used = std::max<Index>(1, std::min<Index>(n_features, n_samples - 1));
  if (warnings) {
    warnings->push_back(
        n_features < requested
            ? fmt::format(
                  "PLS: the layer has {} features, fewer than {} components; using {} components",
                  n_features, requested, used)
            : fmt::format("PLS: {} training samples support at most {} components; using {}", n_samples,
                          n_samples - 1, used));
  }
  return static_cast<int>(used);
}

Index pls_first_live_column(Matrix& y, bool* changed) {
  Index first = -1;
  if (changed) *changed = false;
  for (Index j = 0; j < y.cols(); ++j) {
    double peak = y.col(j).cwiseAbs().maxCoeff();
    if (peak < 10 * kEps) {
      if (changed && peak > 0) *changed = true;
      y.col(j).setZero();
    }
    if (first < 0 && peak > kEps) first = j;
  }
  return first;
}

void PlsRegression::fit(const Matrix& x, const Matrix& y) {
  if (x.rows() != y.rows()) throw std::invalid_argument("PLS: X and Y row counts differ");
  if (x.rows() < 2) throw std::invalid_argument("PLS: needs at least two samples");
  info_ = PlsFitInfo{};
  info_.components_requested = options_.n_components;
  const int n_comp = pls_components_for(options_.n_components, x.cols(), x.rows(), &info_.warnings);
  x_mean_ = column_means(x);
  y_mean_ = column_means(y);
  Matrix xk = x.rowwise() - x_mean_;
  Matrix yk = y.rowwise() - y_mean_;
  Matrix w_all(x.cols(), n_comp), p_all(x.cols(), n_comp), q_all(y.cols(), n_comp);
  int used = 0;
  for (; used < n_comp; ++used) {
    Index first = pls_first_live_column(yk);
    if (first < 0) {
      info_.warnings.push_back(fmt::format("PLS: Y residual is constant at component {}", used));
      break;
    }
    PowerResult r = power_method(xk, yk, first, options_);
    info_.n_iter.push_back(r.n_iter);
    Index big;
    r.w.cwiseAbs().maxCoeff(&big);
    if (r.w(big) < 0) {  // sklearn's _svd_flip_1d
      r.w = -r.w;
      r.c = -r.c;
    }
    Vector t = xk * r.w;
    double tt = t.squaredNorm();
    Vector p = xk.transpose() * t / tt;
    xk.noalias() -= t * p.transpose();
    Vector q = yk.transpose() * t / tt;
    yk.noalias() -= t * q.transpose();
    w_all.col(used) = r.w;
    p_all.col(used) = p;
    q_all.col(used) = q;
  }
  info_.components_used = used;
  x_weights_ = w_all.leftCols(used);
  Matrix rotations = x_weights_ * pinv(p_all.leftCols(used).transpose() * x_weights_);
  coef_ = rotations * q_all.leftCols(used).transpose();
}

Matrix PlsRegression::predict(const Matrix& x) const {
  if (x.cols() != coef_.rows()) throw std::invalid_argument("PLS: predict with wrong width");
  Matrix out = (x.rowwise() - x_mean_) * coef_;
  return out.rowwise() + y_mean_;
}

}  // namespace ventral::neural_fit
