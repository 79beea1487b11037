// The regression registry: a method name ("pls", "ridge", "ridgecv", "linear", "n2n") to
// an object that fits on the training rows of a FeatureDesign and predicts its test rows.
// Each picks the primal form (explicit features) or the dual form (cut from the design's
// one Gram matrix) by the shape of the problem (pls: by memory, kernel_pls.h); both give
// the same predictions.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "neural_fit/feature_design.h"
#include "neural_fit/pls.h"

namespace ventral::neural_fit {

/// Settings of every registered regression (each reads its own fields).
struct RegressionOptions {
  PlsOptions pls;              ///< pls: components, max_iter, tol
  double ridge_alpha = 1.0;    ///< ridge: Brain-Score's Ridge(alpha=1)
  std::vector<double> alphas;  ///< ridgecv: empty means reference_alphas()
  /// Dual form (cut from the design's Gram) when train samples < features, primal
  /// otherwise; false forces the primal form. n2n is always primal. pls picks its Gram
  /// form only within the memory budget (kernel_pls_gram_fits), else the direct form on
  /// the stored features; false forces the direct form.
  bool allow_dual = true;
};

class Regression {
 public:
  virtual ~Regression() = default;
  /// Fits on design rows `train` with targets `y_train` (train x q); returns predictions
  /// for rows `test` (test x q). Warnings (reduced components, ...) are appended.
  virtual Matrix fit_predict(const FeatureDesign& design, const Rows& train, const Rows& test,
                             const Matrix& y_train, std::vector<std::string>* warnings) = 0;
  /// Per-fit detail for reports (chosen alpha, PLS iterations, ...); empty by default.
  virtual std::string last_detail() const { return {}; }
};

/// Registered method names, in display order.
const std::vector<std::string>& regression_names();
/// Creates a regression by name; throws ventral::Error naming the known methods.
std::unique_ptr<Regression> make_regression(const std::string& method, const RegressionOptions& options);

}  // namespace ventral::neural_fit
