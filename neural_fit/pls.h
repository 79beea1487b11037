// Partial least squares regression (PLS2) with scikit-learn's exact semantics (the fit
// itself is KernelPls, kernel_pls.h; these are its settings and shared guards):
// PLSRegression(n_components, scale=False): NIPALS power iterations, mode A,
// "regression" deflation, X and Y centred with training means and not scaled.
// Reference: Wegelin (2000), "A survey of PLS methods", sec. 4.1; sklearn 1.2
// sklearn/cross_decomposition/_pls.py. See docs/reference/scoring.md sec. 4.2.
#pragma once

#include <string>
#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// PLS settings; the defaults are Brain-Score's (`pls_regression`).
struct PlsOptions {
  /// Number of latent components (Brain-Score: 25). Reduced to the number of features
  /// when a layer has fewer (a warning is recorded; sklearn would raise).
  int n_components = 25;
  /// Maximum NIPALS power iterations per component (sklearn default 500).
  int max_iter = 500;
  /// Convergence threshold on ||w - w_old||^2 (sklearn default 1e-6).
  double tol = 1e-6;
};

/// What happened during a fit, for reports and tests.
struct PlsFitInfo {
  int components_requested = 0;
  int components_used = 0;  ///< < requested when reduced or the Y residual vanished
  std::vector<int> n_iter;  ///< power iterations per component
  std::vector<std::string> warnings;
};

/// Components that `n_features` features and `n_samples` training samples support:
/// min(requested, p, n - 1), since centred X has rank <= n - 1 and further components
/// would only fit rounding noise (sklearn bounds by p alone and raises above it).
/// Records a warning in `warnings` when `requested` had to be reduced.
int pls_components_for(int requested, Index n_features, Index n_samples,
                       std::vector<std::string>* warnings);

/// Zeroes the columns of `y` whose entries are all below 10 * eps in magnitude, and
/// returns the first column with an entry above eps (-1 if none): sklearn's guards.
/// `changed` (optional) is set to whether a column with a nonzero entry was zeroed.
Index pls_first_live_column(Matrix& y, bool* changed = nullptr);

}  // namespace ventral::neural_fit
