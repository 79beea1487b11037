// RidgeCV with efficient leave-one-out cross-validation, as scikit-learn's
// RidgeCV(alphas, fit_intercept=True, alpha_per_target=False, scoring=None): one
// eigendecomposition of Kc + 11' ("eigen" mode, n <= p) or one thin SVD of [Xc, 1]
// ("svd" mode, n > p) serves every alpha; the LOO residuals are c_i / G^-1_ii with
// c = G^-1 Yc; the alpha with the smallest mean squared LOO residual over all samples
// and targets wins (first on ties). The intercept direction is not penalised.
// Reference: Rifkin & Lippert (2007), "Notes on regularized least squares".
#pragma once

#include <vector>

#include "neural_fit/linear_fit.h"

namespace ventral::neural_fit {

/// Brain-Score's ALPHA_LIST: {0.01, 0.1, 0.5, 1}, 4 steps 10..100, 18 steps per decade
/// 1e2..1e6 (endpoint excluded), 19 steps 1e6..1e7 (endpoint included): 99 values.
std::vector<double> reference_alphas();

struct RidgeCvFit {
  LinearFit fit;
  double alpha = 0;             ///< chosen penalty
  std::vector<double> loo_mse;  ///< mean squared LOO residual per alpha
};

/// Eigen mode from the centred train Gram (n x n).
RidgeCvFit ridge_cv_dual(const Matrix& gram, const Matrix& y, const std::vector<double>& alphas);
/// SVD mode from the explicit features (n x p).
RidgeCvFit ridge_cv_primal(const Matrix& x, const Matrix& y, const std::vector<double>& alphas);

}  // namespace ventral::neural_fit
