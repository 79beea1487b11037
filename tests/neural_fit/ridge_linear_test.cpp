// Ridge, RidgeCV, least squares and neuron-to-neuron: hand-computed values, primal
// against dual, and scikit-learn's Ridge / RidgeCV / LinearRegression on the same splits.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "common/h5_file.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/linalg.h"
#include "neural_fit/linear.h"
#include "neural_fit/neuron_to_neuron.h"
#include "neural_fit/ridge.h"
#include "neural_fit/ridge_cv.h"
#include "tests/neural_fit/reference_fixture.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;
using nf::testing::max_relative_error;
using nf::testing::read_matrix;

namespace {
std::string reference_name(const std::string& method, const std::string& width) {
  return method == "linear" ? "minnorm" : method;
}
}  // namespace

TEST_CASE("Ridge with one feature shrinks the slope by alpha", "[neural_fit]") {
  Matrix x(4, 1), y(4, 1);
  x << 1, 2, 3, 4;
  y << 2, 4, 6, 8.5;
  // slope = Sxy / (Sxx + alpha) = 10.75 / (5 + 1)
  auto fit = nf::ridge_primal(x, y, 1.0);
  REQUIRE(fit.coef(0, 0) == Approx(10.75 / 6).epsilon(1e-12));
  Matrix at(1, 1);
  at << 2.5;
  REQUIRE(fit.predict(at)(0, 0) == Approx(5.125).epsilon(1e-12));
}

TEST_CASE("Primal and dual forms give the same predictions", "[neural_fit]") {
  std::srand(21);
  Matrix x = Matrix::Random(30, 50), y = Matrix::Random(30, 4);
  nf::FeatureDesign design(nf::FeatureMatrix(x.cast<float>()));
  nf::Rows train, test;
  for (Index i = 0; i < 30; ++i) (i % 4 == 0 ? test : train).push_back(i);
  Matrix xd = design.rows(train), xt = design.rows(test), yt = nf::gather_rows(y, train);
  Matrix k = design.train_gram(train), c = design.cross_gram(train, test);
  REQUIRE(max_relative_error(nf::ridge_dual(k, yt, 2.0).predict(c),
                             nf::ridge_primal(xd, yt, 2.0).predict(xt)) < 1e-9);
  auto alphas = nf::reference_alphas();
  auto cv_dual = nf::ridge_cv_dual(k, yt, alphas), cv_primal = nf::ridge_cv_primal(xd, yt, alphas);
  REQUIRE(cv_dual.alpha == cv_primal.alpha);
  REQUIRE(max_relative_error(cv_dual.fit.predict(c), cv_primal.fit.predict(xt)) < 1e-8);
  // n_train 22 < p 50: least squares interpolates the training data
  auto ls = nf::least_squares_dual(k, yt);
  REQUIRE((ls.predict(design.cross_gram(train, train)) - yt).cwiseAbs().maxCoeff() < 1e-8);
}

TEST_CASE("The reference alpha grid has Brain-Score's 99 values", "[neural_fit]") {
  auto a = nf::reference_alphas();
  REQUIRE(a.size() == 99);
  REQUIRE(a[0] == 0.01);
  REQUIRE(a[5] == 32.5);
  REQUIRE(a[8] == 100);
  REQUIRE(a[9] == 150);
  REQUIRE(a[79] == 950000);
  REQUIRE(a[80] == 1e6);
  REQUIRE(a.back() == 1e7);
}

TEST_CASE("RidgeCV's leave-one-out error matches explicit refits", "[neural_fit]") {
  std::srand(5);
  Matrix x = Matrix::Random(15, 3), y = Matrix::Random(15, 2);
  auto cv = nf::ridge_cv_primal(x, y, {0.3, 3.0});
  for (std::size_t a = 0; a < 2; ++a) {
    double alpha = a == 0 ? 0.3 : 3.0, sse = 0;
    for (Index i = 0; i < 15; ++i) {
      nf::Rows rest;
      for (Index j = 0; j < 15; ++j)
        if (j != i) rest.push_back(j);
      auto fit = nf::ridge_primal(nf::gather_rows(x, rest), nf::gather_rows(y, rest), alpha);
      sse += (fit.predict(x.row(i)) - y.row(i)).squaredNorm();
    }
    REQUIRE(cv.loo_mse[a] == Approx(sse / 30).epsilon(1e-9));
  }
}

TEST_CASE("Neuron-to-neuron picks the best-correlated unit", "[neural_fit]") {
  Matrix x(5, 3), y(5, 2);
  x << 1, 0, 5, 2, 1, 4, 3, 0, 3, 4, 1, 2, 5, 0, 1;
  y << 1, 9, 2, 8, 3, 7, 4, 6, 5, 5;  // col 0 follows unit 0, col 1 follows unit 2
  nf::FeatureDesign design(x);
  nf::Rows all = {0, 1, 2, 3, 4};
  auto map = nf::neuron_to_neuron_map(design, all, y);
  REQUIRE(map == std::vector<Index>{0, 2});
  REQUIRE(nf::neuron_to_neuron_predict(design, {1}, map)(0, 1) == 4);
}

// "linear" is compared with numpy's pinv (minimum-norm) solution: with the constant
// feature, sklearn's lstsq keeps a rounding-level singular value (see make_reference.py);
// sklearn's LinearRegression itself is matched on full-rank features below.
TEST_CASE("Ridge, RidgeCV and least squares equal scikit-learn", "[neural_fit]") {
  const std::string ref = nf::testing::reference_dir() + "/regression_reference.h5";
  auto ids = ventral::h5::File::open_read(ref).read_strings("stimulus_id");
  Matrix y = read_matrix(ref, "Y");
  auto splits = nf::read_splits_file(ref, ids);
  for (const char* method : {"ridge", "ridgecv", "linear"}) {
    for (const char* width : {"wide", "narrow"}) {
      INFO(method << " " << width);
      nf::FeatureDesign design(
          nf::FeatureMatrix(read_matrix(ref, std::string("X_") + width).cast<float>()));
      auto regression = nf::make_regression(method, {});
      for (std::size_t k = 0; k < splits.size(); ++k) {
        Matrix pred = regression->fit_predict(design, splits[k].train, splits[k].test,
                                              nf::gather_rows(y, splits[k].train), nullptr);
        Matrix sk = read_matrix(ref, fmt::format("{}_{}/prediction/{}", reference_name(method, width),
                                                 width, k));
        REQUIRE(max_relative_error(pred, sk) < 1e-5);
        if (std::string(method) == "ridgecv") {
          double alpha = read_matrix(ref, fmt::format("{}_{}/alpha/{}", method, width, k))(0, 0);
          REQUIRE(regression->last_detail() == fmt::format("alpha={}", alpha));
        }
      }
      nf::NeuralTarget target;
      target.data.stimulus_ids = ids;
      target.data.responses = y;
      target.splits = splits;
      nf::FitOptions options;
      options.metric.regression = method;
      nf::Score s = nf::cross_validated_score(design, target, options, nullptr);
      REQUIRE(std::abs(s.raw - read_matrix(ref, fmt::format("{}_{}/score", reference_name(method, width),
                                                            width))(0, 0)) < 1e-6);
      if (std::string(method) == "linear") continue;  // rank-deficient: compared via minnorm above
      for (const char* correlation : {"spearman", "explained_variance"}) {
        for (const char* aggregation : {"median", "mean"}) {
          options.metric.correlation = correlation;
          options.metric.aggregation = aggregation;
          nf::Score composed = nf::cross_validated_score(design, target, options, nullptr);
          double expected = read_matrix(ref, fmt::format("{}_{}/score_{}_{}", method, width, correlation,
                                                         aggregation))(0, 0);
          INFO(method << " " << width << " " << correlation << " " << aggregation);
          REQUIRE(std::abs(composed.raw - expected) < 1e-6);
        }
      }
    }
  }
}

TEST_CASE("Least squares equals LinearRegression on full-rank features", "[neural_fit]") {
  const std::string ref = nf::testing::reference_dir() + "/regression_reference.h5";
  auto ids = ventral::h5::File::open_read(ref).read_strings("stimulus_id");
  auto splits = nf::read_splits_file(ref, ids);
  Matrix y = read_matrix(ref, "Y"), x = read_matrix(ref, "X_narrow");
  Matrix full(x.rows(), x.cols() - 1);
  full << x.leftCols(3), x.rightCols(x.cols() - 4);
  nf::FeatureDesign design(nf::FeatureMatrix(full.cast<float>()));
  auto regression = nf::make_regression("linear", {});
  for (std::size_t k = 0; k < splits.size(); ++k) {
    Matrix pred = regression->fit_predict(design, splits[k].train, splits[k].test,
                                          nf::gather_rows(y, splits[k].train), nullptr);
    REQUIRE(max_relative_error(pred, read_matrix(ref, fmt::format("fullrank_narrow/prediction/{}", k))) <
            1e-5);
  }
}
