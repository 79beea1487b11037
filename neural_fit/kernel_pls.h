// PLS with scikit-learn's exact NIPALS iterations (PLSRegression, scale=False), run in
// the q-dimensional target space so that each power iteration costs O(q^2) whatever the
// number of samples n and features p.
//
// Every NIPALS quantity lies in a small space: u = Y_k g, w = X_k^T Y_k h, t = X_k w, so
// with K = Xc Xc^T, Z_k = K_k Y_k, M = Y_k^T Z_k, N = Z_k^T Z_k, S = Y_k^T Y_k (q x q):
// u'u = g'Sg, ||w||^2 = g'Mg/(u'u)^2, t't = h'Nh, Y_k't = Mh, ||w - w_old||^2 = d'Md.
// Deflation X_{k+1} = (I - tt'/t't) X_k needs only the scores t, so K enters through
// products K v alone: either an explicit n x n Gram (wide layers; the Gram of all
// stimuli is computed once per layer and cut per split) or X (X^T v) on the centred
// features (narrow layers). Coefficients come out in dual form B = Xc^T D.
#pragma once

#include "neural_fit/pls.h"

namespace ventral::neural_fit {

class KernelPls {
 public:
  explicit KernelPls(PlsOptions options = {}) : options_(options) {}

  /// Fits on the centred training Gram `gram` (n x n, Xc Xc^T; lower triangle read) and
  /// targets Y (n x q). `n_features` (p) bounds the number of components, as in sklearn.
  void fit(const Matrix& gram, const Matrix& y, Index n_features);
  /// Predictions given `cross` = (X_test - x_mean_train) Xc_train^T (m x n).
  Matrix predict(const Matrix& cross) const;

  /// Fits on explicit training features X (n x p), centring them internally.
  void fit_features(const Matrix& x, const Matrix& y);
  /// Predictions for X_test (m x p) after fit_features.
  Matrix predict_features(const Matrix& x) const;

  /// Dual coefficients D (n x q): coef = Xc^T D.
  const Matrix& dual_coef() const { return dual_coef_; }
  const PlsFitInfo& info() const { return info_; }

 private:
  template <typename Apply>
  void fit_impl(const Apply& apply, const Matrix& y, Index n_features);

  PlsOptions options_;
  RowVector x_mean_, y_mean_;
  Matrix dual_coef_, coef_;
  PlsFitInfo info_;
};

}  // namespace ventral::neural_fit
