// Ordinary least squares with intercept, as scikit-learn's LinearRegression(): the
// minimum-norm solution of min ||Yc - Xc B|| (scipy lstsq). Primal by complete
// orthogonal decomposition when n > p; dual B = Xc' Kc^+ Yc when n <= p (then the
// training data are interpolated exactly, as with sklearn).
#pragma once

#include "neural_fit/linear_fit.h"

namespace ventral::neural_fit {

/// Least squares on X (n x p), Y (n x q).
LinearFit least_squares_primal(const Matrix& x, const Matrix& y);
/// Least squares from the centred train Gram (n x n) and Y (n x q).
LinearFit least_squares_dual(const Matrix& gram, const Matrix& y);

}  // namespace ventral::neural_fit
