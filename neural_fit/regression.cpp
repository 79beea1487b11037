#include "neural_fit/regression.h"

#include <fmt/format.h>

#include "common/error.h"
#include "neural_fit/kernel_pls.h"
#include "neural_fit/linear.h"
#include "neural_fit/neuron_to_neuron.h"
#include "neural_fit/ridge.h"
#include "neural_fit/ridge_cv.h"

namespace ventral::neural_fit {
namespace {

bool use_dual(const FeatureDesign& design, const Rows& train, const RegressionOptions& options) {
  return options.allow_dual && static_cast<Index>(train.size()) < design.width();
}

class PlsMethod : public Regression {
 public:
  explicit PlsMethod(const RegressionOptions& o) : options_(o) {}
  Matrix fit_predict(const FeatureDesign& design, const Rows& train, const Rows& test, const Matrix& y,
                     std::vector<std::string>* warnings) override {
    KernelPls pls(options_.pls);
    Matrix out;
    const Index n_train = static_cast<Index>(train.size()), n_test = static_cast<Index>(test.size());
    if (options_.allow_dual && kernel_pls_gram_fits(design.samples(), n_train, n_test, design.width())) {
      pls.fit(design.train_gram(train), y, design.width());
      out = pls.predict(design.cross_gram(train, test));
    } else {  // on the stored float32 features: no centred, gathered or Gram copy
      pls.fit_rows(design.features(), train, y);
      out = pls.predict_rows(design.features(), test);
    }
    const PlsFitInfo& info = pls.info();
    if (warnings) warnings->insert(warnings->end(), info.warnings.begin(), info.warnings.end());
    detail_ = fmt::format("components={}", info.components_used);
    return out;
  }
  std::string last_detail() const override { return detail_; }

 private:
  RegressionOptions options_;
  std::string detail_;
};

class RidgeMethod : public Regression {
 public:
  RidgeMethod(const RegressionOptions& o, bool cv) : options_(o), cv_(cv) {
    if (options_.alphas.empty()) options_.alphas = reference_alphas();
  }
  Matrix fit_predict(const FeatureDesign& design, const Rows& train, const Rows& test, const Matrix& y,
                     std::vector<std::string>*) override {
    const bool dual = use_dual(design, train, options_);
    LinearFit fit;
    if (cv_) {
      RidgeCvFit r = dual ? ridge_cv_dual(design.train_gram(train), y, options_.alphas)
                          : ridge_cv_primal(design.rows(train), y, options_.alphas);
      detail_ = fmt::format("alpha={}", r.alpha);
      fit = std::move(r.fit);
    } else {
      fit = dual ? ridge_dual(design.train_gram(train), y, options_.ridge_alpha)
                 : ridge_primal(design.rows(train), y, options_.ridge_alpha);
    }
    return fit.predict(dual ? design.cross_gram(train, test) : design.rows(test));
  }
  std::string last_detail() const override { return detail_; }

 private:
  RegressionOptions options_;
  bool cv_;
  std::string detail_;
};

class LinearMethod : public Regression {
 public:
  explicit LinearMethod(const RegressionOptions& o) : options_(o) {}
  Matrix fit_predict(const FeatureDesign& design, const Rows& train, const Rows& test, const Matrix& y,
                     std::vector<std::string>*) override {
    if (use_dual(design, train, options_)) {
      return least_squares_dual(design.train_gram(train), y).predict(design.cross_gram(train, test));
    }
    return least_squares_primal(design.rows(train), y).predict(design.rows(test));
  }

 private:
  RegressionOptions options_;
};

class NeuronToNeuronMethod : public Regression {
 public:
  Matrix fit_predict(const FeatureDesign& design, const Rows& train, const Rows& test, const Matrix& y,
                     std::vector<std::string>*) override {
    return neuron_to_neuron_predict(design, test, neuron_to_neuron_map(design, train, y));
  }
};

}  // namespace

const std::vector<std::string>& regression_names() {
  static const std::vector<std::string> names = {"pls", "ridge", "ridgecv", "linear", "n2n"};
  return names;
}

std::unique_ptr<Regression> make_regression(const std::string& method,
                                            const RegressionOptions& options) {
  if (method == "pls") return std::make_unique<PlsMethod>(options);
  if (method == "ridge") return std::make_unique<RidgeMethod>(options, false);
  if (method == "ridgecv") return std::make_unique<RidgeMethod>(options, true);
  if (method == "linear") return std::make_unique<LinearMethod>(options);
  if (method == "n2n") return std::make_unique<NeuronToNeuronMethod>();
  fail("unknown regression method '{}'; known: {}", method, fmt::join(regression_names(), ", "));
}

}  // namespace ventral::neural_fit
