// PLS with scikit-learn's exact NIPALS iterations (PLSRegression, scale=False), run in
// the q-dimensional target space so that each power iteration costs O(q^2) whatever the
// number of samples n and features p.
//
// Every NIPALS quantity lies in a small space: u = Y_k g, w = X_k^T Y_k h, t = X_k w, so
// with K = Xc Xc^T, Z_k = K_k Y_k, M = Y_k^T Z_k, N = Z_k^T Z_k, S = Y_k^T Y_k (q x q):
// u'u = g'Sg, ||w||^2 = g'Mg/(u'u)^2, t't = h'Nh, Y_k't = Mh, ||w - w_old||^2 = d'Md.
// Deflation X_{k+1} = (I - tt'/t't) X_k needs only the scores t, so K enters through
// products K v alone, in one of two forms with equal results:
//  - Gram: an explicit n x n Gram (the Gram of all N stimuli is computed once per layer
//    and cut per split); memory 8 (N^2 + n^2) bytes, then O(n^2 q) per split.
//  - direct: Xc (Xc^T v) on the float32 features as stored, train rows indexed in place
//    and centred blockwise (centred_rows.h): no copy of X, O(n p q) per split.
// Coefficients come out in dual form B = Xc^T D.
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

  /// Direct form: fits on rows `train` of the float32 features `x` (N x p) without
  /// copying or centring them (memory: p x q coefficients and a ~2 MB scratch block;
  /// `block_columns` > 0 sets the block width, for tests).
  void fit_rows(const FeatureMatrix& x, const Rows& train, const Matrix& y, Index block_columns = 0);
  /// Predictions for rows `test` of `x` after fit_rows.
  Matrix predict_rows(const FeatureMatrix& x, const Rows& test) const;

  /// Dual coefficients D (n x q): coef = Xc^T D (after fit or fit_features; fit_rows
  /// keeps only its factors).
  const Matrix& dual_coef() const { return dual_coef_; }
  const PlsFitInfo& info() const { return info_; }

 private:
  /// `apply(v)` = K v during the iterations; `apply_final(A)` = K A for the k weights.
  template <typename Apply, typename ApplyFinal>
  void fit_impl(const Apply& apply, const ApplyFinal& apply_final, const Matrix& y, Index n_features);

  PlsOptions options_;
  RowVector x_mean_, y_mean_;
  Matrix dual_coef_, coef_;
  Matrix dual_left_, dual_right_;  // n x k and k x q: dual_coef_ = left * right
  PlsFitInfo info_;
  Index block_columns_ = 0;
};

/// Whether the Gram form fits the memory budget: its float64 Grams (N x N kept per
/// layer, n x n per split, m x n cross) take at most half the bytes of the float32
/// features (N x p), so a fit stays within 2x the feature matrix; roughly p >= 4(N + n^2/N),
/// where the Gram form is also the faster one. Otherwise use the direct form.
bool kernel_pls_gram_fits(Index n_all, Index n_train, Index n_test, Index width);

}  // namespace ventral::neural_fit
