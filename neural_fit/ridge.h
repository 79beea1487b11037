// Ridge regression with a fixed penalty, as scikit-learn's Ridge(alpha, fit_intercept=True):
// minimise ||Yc - Xc B||^2 + alpha ||B||^2 on centred X and Y. Closed form, primal
// (Xc'Xc + alpha I) B = Xc'Yc when n >= p, dual (Kc + alpha I) D = Yc, B = Xc'D when n < p
// (sklearn's "cholesky" solver makes the same choice).
#pragma once

#include "neural_fit/linear_fit.h"

namespace ventral::neural_fit {

/// Primal ridge on X (n x p), Y (n x q); alpha > 0.
LinearFit ridge_primal(const Matrix& x, const Matrix& y, double alpha);
/// Dual ridge on the centred train Gram (n x n) and Y (n x q); alpha > 0.
LinearFit ridge_dual(const Matrix& gram, const Matrix& y, double alpha);

}  // namespace ventral::neural_fit
