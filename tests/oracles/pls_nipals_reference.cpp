#include "tests/oracles/pls_nipals_reference.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "neural_fit/linalg.h"

namespace ventral::oracles {
namespace {

using neural_fit::Index;
using neural_fit::Vector;

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

void NipalsPls::fit(const Matrix& x, const Matrix& y) {
  if (x.rows() != y.rows()) throw std::invalid_argument("NipalsPls: X and Y row counts differ");
  if (x.rows() < 2) throw std::invalid_argument("NipalsPls: needs at least two samples");
  info_ = PlsFitInfo{};
  info_.components_requested = options_.n_components;
  const int n_comp = neural_fit::pls_components_for(options_.n_components, x.cols(), x.rows(),
                                                    &info_.warnings);
  x_mean_ = neural_fit::column_means(x);
  y_mean_ = neural_fit::column_means(y);
  Matrix xk = x.rowwise() - x_mean_;
  Matrix yk = y.rowwise() - y_mean_;
  Matrix w_all(x.cols(), n_comp), p_all(x.cols(), n_comp), q_all(y.cols(), n_comp);
  int used = 0;
  for (; used < n_comp; ++used) {
    Index first = neural_fit::pls_first_live_column(yk);
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
  Matrix rotations = x_weights_ * neural_fit::pinv(p_all.leftCols(used).transpose() * x_weights_);
  coef_ = rotations * q_all.leftCols(used).transpose();
}

Matrix NipalsPls::predict(const Matrix& x) const {
  if (x.cols() != coef_.rows()) throw std::invalid_argument("NipalsPls: predict with wrong width");
  Matrix out = (x.rowwise() - x_mean_) * coef_;
  return out.rowwise() + y_mean_;
}

}  // namespace ventral::oracles
