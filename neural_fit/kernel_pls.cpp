#include "neural_fit/kernel_pls.h"

#include <fmt/format.h>

#include <cmath>
#include <limits>
#include <stdexcept>

#include "neural_fit/centred_rows.h"
#include "neural_fit/linalg.h"

namespace ventral::neural_fit {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

// Scores found so far; applies the sequential deflation projections to a matrix.
struct Deflation {
  Matrix t;   // n x k scores
  Vector tt;  // t_i' t_i
  Index k = 0;

  void project(Matrix& m) const {
    for (Index i = 0; i < k; ++i) {
      RowVector coeff = t.col(i).transpose() * m / tt(i);
      m.noalias() -= t.col(i) * coeff;
    }
  }
};

struct QSpaceResult {
  Vector h;  // w = X_k' Y_k h
  int n_iter = 0;
};

// sklearn's power method (mode A, norm_y_weights=False), rewritten on q-vectors. The
// iterate h is a multiple of g, so S g, M g and N g (one product with [S M N]^T, all
// three symmetric) give every quantity: ||u||^2, ||w||, t't, c and the change d'Md.
QSpaceResult power_method_q(const Matrix& m, const Matrix& nm, const Matrix& s, Index first,
                            const PlsOptions& options) {
  const Index q = m.rows();
  Matrix stacked(q, 3 * q);
  stacked << s, m, nm;
  Vector g = Vector::Zero(q), prods(3 * q), mh, h_old, mh_old;
  g(first) = 1.0;
  QSpaceResult r;
  for (int i = 0; i < options.max_iter; ++i) {
    prods.noalias() = stacked.transpose() * g;  // [S g; M g; N g]
    double uu = g.dot(prods.head(q));
    double w_norm = std::sqrt(std::max(0.0, g.dot(prods.segment(q, q)))) / uu;
    double scale = 1.0 / uu / (w_norm + kEps);
    r.h = scale * g;
    mh = scale * prods.segment(q, q);
    double tt = scale * scale * g.dot(prods.tail(q));
    Vector c = mh / tt;
    g = c / (c.squaredNorm() + kEps);
    r.n_iter = i + 1;
    // The first comparison is against sklearn's scalar 100, which never converges.
    bool converged = i > 0 && (r.h - h_old).dot(mh - mh_old) < options.tol;
    if (converged || q == 1) break;
    h_old = r.h;
    mh_old = mh;
  }
  return r;
}

// The q x q products of the power iteration, kept up to date by rank-2 updates after each
// component (O(nq) instead of O(nq^2)); recomputed directly when cancellation would cost
// more than six digits.
struct QSpace {
  Matrix s, m, q, r;  // Y'Y, Y'KY, (KY)'(KY), (KY)'T
  double s0 = 0, m0 = 0, q0 = 0;

  void recompute(const Matrix& yk, const Matrix& ky, const Deflation& d) {
    s = yk.transpose() * yk;
    m = yk.transpose() * ky;
    m = (0.5 * (m + m.transpose())).eval();
    q = ky.transpose() * ky;
    r = ky.transpose() * d.t.leftCols(d.k);
    if (s0 == 0) s0 = s.trace(), m0 = m.trace(), q0 = q.trace();
  }
  // N = Z'Z with Z = Pi KY = KY - T D^-1 T'KY
  Matrix n_matrix(const Deflation& d) const {
    Matrix nm = q;
    for (Index i = 0; i < d.k; ++i) nm.noalias() -= r.col(i) * r.col(i).transpose() / d.tt(i);
    return nm;
  }
  bool precise(const Matrix& nm) const {
    return s.trace() > 1e-6 * s0 && m.trace() > 1e-6 * m0 && nm.trace() > 1e-6 * q0;
  }
  // After Y <- Y - t qk', KY <- KY - kt qk' (called with the old KY).
  void update(const Matrix& ky_old, const Vector& t, const Vector& kt, const Vector& qk, double tt,
              const Deflation& d) {
    Vector g = ky_old.transpose() * t, e = ky_old.transpose() * kt;
    s.noalias() -= tt * qk * qk.transpose();
    m.noalias() += t.dot(kt) * qk * qk.transpose() - qk * g.transpose() - g * qk.transpose();
    q.noalias() += kt.squaredNorm() * qk * qk.transpose() - qk * e.transpose() - e * qk.transpose();
    RowVector kt_t = kt.transpose() * d.t.leftCols(d.k);
    r.noalias() -= qk * kt_t;
    r.conservativeResize(Eigen::NoChange, d.k + 1);
    r.col(d.k) = g - qk * kt.dot(t);
  }
};

}  // namespace

template <typename Apply, typename ApplyFinal>
void KernelPls::fit_impl(const Apply& apply, const ApplyFinal& apply_final, const Matrix& y,
                         Index n_features) {
  const Index n = y.rows(), q = y.cols();
  if (n < 2) throw std::invalid_argument("PLS: needs at least two samples");
  info_ = PlsFitInfo{};
  info_.components_requested = options_.n_components;
  const int n_comp = pls_components_for(options_.n_components, n_features, n, &info_.warnings);
  y_mean_ = column_means(y);
  Matrix yk = y.rowwise() - y_mean_;
  Matrix ky = apply(yk);  // K_1 Y_k, kept up to date
  Deflation defl{Matrix(n, n_comp), Vector(n_comp), 0};
  Matrix a(n, n_comp), q_load(q, n_comp);
  QSpace qs;
  bool stale = true;
  for (; defl.k < n_comp; ++defl.k) {
    const Index k = defl.k;
    bool zeroed = false;
    Index first = pls_first_live_column(yk, &zeroed);
    if (first < 0) {
      info_.warnings.push_back(fmt::format("PLS: Y residual is constant at component {}", k));
      break;
    }
    if (zeroed) {  // sklearn zeroed near-zero columns: KY follows, products restart
      for (Index j = 0; j < q; ++j) {
        if (yk.col(j).isZero(0.0)) ky.col(j).setZero();
      }
      stale = true;
    }
    if (stale) qs.recompute(yk, ky, defl);
    Matrix nm = qs.n_matrix(defl);
    if (!stale && !qs.precise(nm)) {
      qs.recompute(yk, ky, defl);
      nm = qs.n_matrix(defl);
    }
    stale = false;
    QSpaceResult r = power_method_q(qs.m, nm, qs.s, first, options_);
    info_.n_iter.push_back(r.n_iter);
    Matrix t_mat = ky * r.h;  // Z h = Pi K Y h
    defl.project(t_mat);
    Vector t = t_mat.col(0);
    double tt = t.squaredNorm();
    Vector qk = yk.transpose() * t / tt;
    Vector kt = apply(t);
    a.col(k) = yk * r.h;
    qs.update(ky, t, kt, qk, tt, defl);
    yk.noalias() -= t * qk.transpose();
    ky.noalias() -= kt * qk.transpose();
    defl.t.col(k) = t;
    defl.tt(k) = tt;
    q_load.col(k) = qk;
  }
  const Index used = defl.k;
  info_.components_used = static_cast<int>(used);
  yk.resize(0, 0);  // the n x q residuals are done with: keep the final stage's peak low
  ky.resize(0, 0);
  Matrix ka = apply_final(a.leftCols(used));
  // (P'W)_ij = p_i' w_j = t_i' K a_j / t_i't_i
  Matrix ptw = defl.t.leftCols(used).transpose() * ka;
  for (Index i = 0; i < used; ++i) ptw.row(i) /= defl.tt(i);
  dual_right_ = pinv(ptw) * q_load.leftCols(used).transpose();
  dual_left_ = a.leftCols(used);
}

void KernelPls::fit(const Matrix& gram, const Matrix& y, Index n_features) {
  if (gram.rows() != gram.cols() || y.rows() != gram.rows()) {
    throw std::invalid_argument("KernelPls: shape mismatch");
  }
  auto apply = [&](const Matrix& v) -> Matrix { return gram.selfadjointView<Eigen::Lower>() * v; };
  fit_impl(apply, apply, y, n_features);
  dual_coef_ = dual_left_ * dual_right_;
  coef_.resize(0, 0);
}

void KernelPls::fit_features(const Matrix& x, const Matrix& y) {
  if (x.rows() != y.rows()) throw std::invalid_argument("KernelPls: X and Y row counts differ");
  x_mean_ = column_means(x);
  const Matrix xc = x.rowwise() - x_mean_;
  auto apply = [&](const Matrix& v) -> Matrix { return xc * (xc.transpose() * v); };
  fit_impl(apply, apply, y, x.cols());
  dual_coef_ = dual_left_ * dual_right_;
  coef_ = xc.transpose() * dual_coef_;
}

void KernelPls::fit_rows(const FeatureMatrix& x, const Rows& train, const Matrix& y,
                         Index block_columns) {
  if (static_cast<Index>(train.size()) != y.rows()) {
    throw std::invalid_argument("KernelPls: train rows and Y row counts differ");
  }
  block_columns_ = block_columns;
  const CentredRows xc(x, train, block_columns);
  x_mean_ = xc.mean();
  // coef = Xc^T A R (A: n x k, R: k x q, k = components), so one k-column pass over the
  // features gives both K A = Xc (Xc^T A) and coef, instead of q-column passes.
  Matrix xt_a;
  auto apply_final = [&](const Matrix& a) -> Matrix {
    xt_a = xc.transpose_times(a);
    return xc.times(xt_a);
  };
  fit_impl([&](const Matrix& v) -> Matrix { return xc.gram_times(v); }, apply_final, y, x.cols());
  coef_ = xt_a * dual_right_;
  dual_coef_.resize(0, 0);  // not formed: predictions use coef_
}

Matrix KernelPls::predict_rows(const FeatureMatrix& x, const Rows& test) const {
  if (x.cols() != coef_.rows()) throw std::invalid_argument("KernelPls: predict with wrong width");
  Matrix out = CentredRows(x, test, x_mean_, block_columns_).times(coef_);
  return out.rowwise() + y_mean_;
}

bool kernel_pls_gram_fits(Index n_all, Index n_train, Index n_test, Index width) {
  const double gram_bytes = 8.0 * (double(n_all) * double(n_all) + double(n_train) * double(n_train) +
                                   double(n_test) * double(n_train));
  const double feature_bytes = 4.0 * double(n_all) * double(width);
  return gram_bytes <= 0.5 * feature_bytes;
}

Matrix KernelPls::predict(const Matrix& cross) const {
  if (cross.cols() != dual_coef_.rows()) throw std::invalid_argument("KernelPls: bad cross Gram");
  Matrix out = cross * dual_coef_;
  return out.rowwise() + y_mean_;
}

Matrix KernelPls::predict_features(const Matrix& x) const {
  if (x.cols() != coef_.rows()) throw std::invalid_argument("KernelPls: predict with wrong width");
  Matrix out = (x.rowwise() - x_mean_) * coef_;
  return out.rowwise() + y_mean_;
}

}  // namespace ventral::neural_fit
