// PLS: hand-computed cases, the Gram (kernel) and direct (float32 rows in place) forms
// against the explicit NIPALS and each other, and all against scikit-learn's
// PLSRegression on the same data and splits.
#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "common/h5_file.h"
#include "neural_fit/centred_rows.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/feature_design.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/kernel_pls.h"
#include "neural_fit/linalg.h"
#include "neural_fit/pls.h"
#include "tests/neural_fit/reference_fixture.h"
#include "tests/oracles/pls_nipals_reference.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;
using nf::testing::max_relative_error;
using nf::testing::read_matrix;
using nf::testing::reference_dir;

namespace {

Matrix random_matrix(Index rows, Index cols, unsigned seed) {
  std::srand(seed);
  return Matrix::Random(rows, cols);
}

nf::FeatureMatrix as_features(const Matrix& m) { return m.cast<float>(); }

}  // namespace

TEST_CASE("PLS with one feature and one target is the least-squares line", "[neural_fit]") {
  Matrix x(4, 1), y(4, 1);
  x << 1, 2, 3, 4;
  y << 2, 4, 6, 8.5;
  ventral::oracles::NipalsPls pls(nf::PlsOptions{1});
  pls.fit(x, y);
  // slope = cov(x, y) / var(x) = (sum (x-2.5)(y-5.125)) / 5 = 10.75 / 5
  REQUIRE(pls.coef()(0, 0) == Approx(2.15).epsilon(1e-12));
  Matrix at(1, 1);
  at << 5;
  REQUIRE(pls.predict(at)(0, 0) == Approx(5.125 + 2.15 * 2.5).epsilon(1e-12));
  REQUIRE(pls.info().components_used == 1);
}

TEST_CASE("PLS with as many components as features equals least squares", "[neural_fit]") {
  Matrix x = random_matrix(30, 4, 1), y = random_matrix(30, 1, 2);
  ventral::oracles::NipalsPls pls(nf::PlsOptions{4});
  pls.fit(x, y);
  Matrix xc = x.rowwise() - x.colwise().mean();
  Matrix yc = y.rowwise() - y.colwise().mean();
  Matrix ols = (xc.transpose() * xc).ldlt().solve(xc.transpose() * yc);
  REQUIRE((pls.coef() - ols).cwiseAbs().maxCoeff() < 1e-10);
}

TEST_CASE("PLS reduces the components for narrow layers and says so", "[neural_fit]") {
  Matrix x = random_matrix(40, 6, 3), y = random_matrix(40, 5, 4);
  ventral::oracles::NipalsPls pls;  // 25 requested
  pls.fit(x, y);
  REQUIRE(pls.info().components_used == 6);
  REQUIRE(pls.info().warnings.size() == 1);
  REQUIRE(pls.info().warnings[0].find("fewer than 25 components") != std::string::npos);
}

TEST_CASE("PLS stops when the Y residual is constant", "[neural_fit]") {
  Matrix x = random_matrix(20, 8, 5);
  Matrix y = Matrix::Constant(20, 2, 3.5);  // centred Y is zero: no component can be found
  ventral::oracles::NipalsPls pls(nf::PlsOptions{4});
  pls.fit(x, y);
  REQUIRE(pls.info().components_used == 0);
  REQUIRE(pls.info().warnings.back().find("Y residual is constant") != std::string::npos);
  REQUIRE((pls.predict(x).array() - 3.5).abs().maxCoeff() < 1e-12);
  nf::KernelPls dual(nf::PlsOptions{4});
  nf::FeatureDesign design(as_features(x));
  nf::Rows all;
  for (Index i = 0; i < 20; ++i) all.push_back(i);
  dual.fit(design.train_gram(all), y, 8);
  REQUIRE(dual.info().components_used == 0);
}

TEST_CASE("Kernel PLS from the Gram matches the explicit NIPALS", "[neural_fit]") {
  for (auto [n, p, q] : {std::tuple<Index, Index, Index>{50, 200, 7}, {60, 20, 3}, {40, 100, 1}}) {
    Matrix x = random_matrix(n, p, 11) + random_matrix(n, 3, 12) * random_matrix(3, p, 13);
    Matrix y = x.leftCols(3) * random_matrix(3, q, 14) + 0.3 * random_matrix(n, q, 15);
    nf::FeatureDesign design(as_features(x));
    nf::Rows train, test;
    for (Index i = 0; i < n; ++i) (i % 5 == 0 ? test : train).push_back(i);
    ventral::oracles::NipalsPls primal(nf::PlsOptions{10});
    primal.fit(design.rows(train), nf::gather_rows(y, train));
    nf::KernelPls dual(nf::PlsOptions{10});
    dual.fit(design.train_gram(train), nf::gather_rows(y, train), p);
    Matrix a = primal.predict(design.rows(test));
    Matrix b = dual.predict(design.cross_gram(train, test));
    REQUIRE(max_relative_error(b, a) < 1e-9);
    REQUIRE(dual.info().n_iter == primal.info().n_iter);
    nf::KernelPls features(nf::PlsOptions{10});
    features.fit_features(design.rows(train), nf::gather_rows(y, train));
    REQUIRE(max_relative_error(features.predict_features(design.rows(test)), a) < 1e-9);
    REQUIRE(features.info().n_iter == primal.info().n_iter);
    nf::KernelPls direct(nf::PlsOptions{10});  // float32 rows in place, 7-column blocks
    direct.fit_rows(design.features(), train, nf::gather_rows(y, train), 7);
    REQUIRE(max_relative_error(direct.predict_rows(design.features(), test), a) < 1e-9);
    REQUIRE(direct.info().n_iter == primal.info().n_iter);
  }
}

TEST_CASE("Centred rows apply X - mean blockwise without copying X", "[neural_fit]") {
  Matrix x = random_matrix(12, 10, 21) + Matrix::Constant(12, 10, 3.0);
  nf::FeatureMatrix f = as_features(x);
  nf::Rows rows = {7, 0, 3, 11, 5};
  Matrix xr = nf::gather_rows(Matrix(f.cast<double>()), rows);
  Matrix xc = xr.rowwise() - xr.colwise().mean();
  Matrix b = random_matrix(10, 3, 22), v = random_matrix(5, 2, 23);
  for (Index block : {0, 1, 3, 10}) {
    nf::CentredRows op(f, rows, block);
    REQUIRE((op.mean() - xr.colwise().mean()).cwiseAbs().maxCoeff() < 1e-14);
    REQUIRE((op.times(b) - xc * b).cwiseAbs().maxCoeff() < 1e-12);
    REQUIRE((op.transpose_times(v) - xc.transpose() * v).cwiseAbs().maxCoeff() < 1e-12);
    REQUIRE((op.gram_times(v) - xc * (xc.transpose() * v)).cwiseAbs().maxCoeff() < 1e-11);
  }
}

TEST_CASE("PLS Gram form is chosen only within the memory budget", "[neural_fit]") {
  // MajajHong2015 shape: Grams 8 (3200^2 + 2880^2 + 320 * 2880) = 155.6 MB against half the
  // float32 features, 2 * 3200 * p bytes: 26.2 MB at 4096, 160.6 MB at 25088.
  REQUIRE_FALSE(nf::kernel_pls_gram_fits(3200, 2880, 320, 4096));
  REQUIRE_FALSE(nf::kernel_pls_gram_fits(3200, 2880, 320, 24000));
  REQUIRE(nf::kernel_pls_gram_fits(3200, 2880, 320, 25088));
  REQUIRE(nf::kernel_pls_gram_fits(3200, 2880, 320, 100352));
}

TEST_CASE("PLS direct and Gram forms equal each other and scikit-learn", "[neural_fit]") {
  const std::string ref = reference_dir() + "/regression_reference.h5";
  auto file = ventral::h5::File::open_read(ref);
  Matrix y = read_matrix(ref, "Y");
  auto splits = nf::read_splits_file(ref, file.read_strings("stimulus_id"));
  for (const char* width : {"wide", "narrow"}) {
    INFO("features " << width);
    nf::FeatureDesign design(as_features(read_matrix(ref, std::string("X_") + width)));
    for (std::size_t k = 0; k < splits.size(); ++k) {
      const nf::Split& s = splits[k];
      Matrix y_train = nf::gather_rows(y, s.train);
      nf::KernelPls gram, direct, direct_blocks;
      gram.fit(design.train_gram(s.train), y_train, design.width());
      direct.fit_rows(design.features(), s.train, y_train);
      direct_blocks.fit_rows(design.features(), s.train, y_train, 16);
      Matrix a = gram.predict(design.cross_gram(s.train, s.test));
      Matrix b = direct.predict_rows(design.features(), s.test);
      Matrix c = direct_blocks.predict_rows(design.features(), s.test);
      Matrix sk = read_matrix(ref, fmt::format("pls_{}/prediction/{}", width, k));
      REQUIRE(max_relative_error(b, a) < 1e-8);  // rounding of the narrow (p < n) Gram
      REQUIRE(max_relative_error(c, b) < 1e-9);
      REQUIRE(direct.info().n_iter == gram.info().n_iter);
      REQUIRE(max_relative_error(a, sk) < 1e-5);
      REQUIRE(max_relative_error(b, sk) < 1e-5);
    }
  }
}

TEST_CASE("PLS predictions and score equal scikit-learn's PLSRegression", "[neural_fit]") {
  const std::string ref = reference_dir() + "/regression_reference.h5";
  auto file = ventral::h5::File::open_read(ref);
  Matrix y = read_matrix(ref, "Y");
  auto ids = file.read_strings("stimulus_id");
  auto splits = nf::read_splits_file(ref, ids);
  REQUIRE(splits.size() == 5);
  for (const char* width : {"wide", "narrow"}) {
    INFO("features " << width);
    nf::FeatureDesign design(as_features(read_matrix(ref, std::string("X_") + width)));
    nf::NeuralTarget target;
    target.data.stimulus_ids = ids;
    target.data.responses = y;
    target.splits = splits;
    target.ceiling.available = false;
    nf::FitOptions options;
    std::vector<std::string> warnings;
    nf::Score score = nf::cross_validated_score(design, target, options, &warnings);
    double expected = read_matrix(ref, std::string("pls_") + width + "/score")(0, 0);
    REQUIRE(std::abs(score.raw - expected) < 1e-6);
    auto regression = nf::make_regression("pls", options.regression);
    for (std::size_t k = 0; k < splits.size(); ++k) {
      Matrix pred = regression->fit_predict(design, splits[k].train, splits[k].test,
                                            nf::gather_rows(y, splits[k].train), nullptr);
      Matrix sk = read_matrix(ref, fmt::format("pls_{}/prediction/{}", width, k));
      REQUIRE(max_relative_error(pred, sk) < 1e-5);
    }
  }
}
