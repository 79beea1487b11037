// scikit-learn's PLSRegression(scale=False) written the literal way: NIPALS on the explicit,
// centred feature matrix, one power iteration loop per component. ventral fits with
// KernelPls (neural_fit/kernel_pls.h: Gram and direct forms); the tests check both forms
// against this oracle and this oracle against sklearn itself.
#pragma once

#include "neural_fit/pls.h"

namespace ventral::oracles {

using neural_fit::Matrix;
using neural_fit::PlsFitInfo;
using neural_fit::PlsOptions;
using neural_fit::RowVector;

/// NIPALS PLS on the explicit feature matrix (n samples x p features).
class NipalsPls {
 public:
  explicit NipalsPls(PlsOptions options = {}) : options_(options) {}

  /// Fits on X (n x p) and Y (n x q); n >= 2.
  void fit(const Matrix& x, const Matrix& y);
  /// Predictions (X - x_mean) * coef + y_mean for X (m x p).
  Matrix predict(const Matrix& x) const;

  /// Regression coefficients, p x q (sklearn's coef_ transposed).
  const Matrix& coef() const { return coef_; }
  const Matrix& x_weights() const { return x_weights_; }
  const PlsFitInfo& info() const { return info_; }
  const PlsOptions& options() const { return options_; }

 private:
  PlsOptions options_;
  RowVector x_mean_, y_mean_;
  Matrix coef_, x_weights_;
  PlsFitInfo info_;
};

}  // namespace ventral::oracles
