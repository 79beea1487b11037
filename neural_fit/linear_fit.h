// A fitted linear read-out, in primal form (coefficients on centred features) or dual
// form (coefficients on the centred cross Gram K_test = (X_test - x_mean) Xc_train^T).
// Ridge, RidgeCV and least squares return one; PLS has its own classes.
#pragma once

#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct LinearFit {
  Matrix coef;       ///< p x q (primal) or n_train x q (dual)
  RowVector x_mean;  ///< primal only: training feature means
  RowVector y_mean;  ///< training target means (the intercept)
  bool dual = false;

  /// Primal: (X - x_mean) coef + y_mean. Dual: `input` is K_test, K_test coef + y_mean.
  Matrix predict(const Matrix& input) const {
    Matrix out = dual ? Matrix(input * coef) : Matrix((input.rowwise() - x_mean) * coef);
    return out.rowwise() + y_mean;
  }
};

}  // namespace ventral::neural_fit
