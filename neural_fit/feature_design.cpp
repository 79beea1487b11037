#include "neural_fit/feature_design.h"

#include <algorithm>

namespace ventral::neural_fit {

Matrix centred_gram(const FeatureMatrix& x) {
  const Index n = x.rows(), p = x.cols();
  Eigen::Matrix<double, 1, Eigen::Dynamic> mean = Eigen::RowVectorXd::Zero(p);
  for (Index i = 0; i < n; ++i) mean += x.row(i).cast<double>();
  if (n > 0) mean /= static_cast<double>(n);
  Matrix gram = Matrix::Zero(n, n);
  constexpr Index kBlock = 512;
  Matrix block;
  for (Index begin = 0; begin < p; begin += kBlock) {
    const Index width = std::min(kBlock, p - begin);
    block.resize(n, width);
#pragma omp parallel for schedule(static)
    for (Index i = 0; i < n; ++i) {
      block.row(i) = x.row(i).segment(begin, width).cast<double>() - mean.segment(begin, width);
    }
    gram.selfadjointView<Eigen::Lower>().rankUpdate(block);
  }
  gram.triangularView<Eigen::StrictlyUpper>() = gram.transpose();
  return gram;
}

FeatureDesign::FeatureDesign(FeatureMatrix features) : features_(std::move(features)) {}

FeatureDesign::FeatureDesign(const Matrix& features) : features_(features.cast<float>()) {}

const Matrix& FeatureDesign::gram() const {
  if (gram_.size() == 0 && samples() > 0) gram_ = centred_gram(features_);
  return gram_;
}

Matrix FeatureDesign::train_gram(const Rows& train) const {
  const Matrix& g = gram();
  const Index n = static_cast<Index>(train.size());
  Matrix k(n, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < n; ++i) k(i, j) = g(train[i], train[j]);
  }
  Vector r = k.rowwise().mean();
  double s = r.mean();
  k.colwise() -= r;
  k.rowwise() -= r.transpose();
  k.array() += s;
  return k;
}

Matrix FeatureDesign::cross_gram(const Rows& train, const Rows& test) const {
  const Matrix& g = gram();
  const Index n = static_cast<Index>(train.size()), m = static_cast<Index>(test.size());
  // r_j = m_train . x_j for train j, read from G without an n x n copy of the train block
  Vector r = Vector::Zero(n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < n; ++i) r(j) += g(train[i], train[j]);
  }
  r /= static_cast<double>(n);
  double s = r.mean();  // m_train . m_train
  Matrix c(m, n);
  for (Index j = 0; j < n; ++j) {
    for (Index i = 0; i < m; ++i) c(i, j) = g(test[i], train[j]);
  }
  Vector test_dot_mean = c.rowwise().mean();  // x_i . m_train
  c.colwise() -= test_dot_mean;
  c.rowwise() -= r.transpose();
  c.array() += s;
  return c;
}

Matrix FeatureDesign::rows(const Rows& rows) const { return block(rows, 0, width()); }

Matrix FeatureDesign::block(const Rows& rows, Index begin, Index count) const {
  Matrix out(static_cast<Index>(rows.size()), count);
  for (std::size_t i = 0; i < rows.size(); ++i) {
    out.row(static_cast<Index>(i)) = features_.row(rows[i]).segment(begin, count).cast<double>();
  }
  return out;
}

}  // namespace ventral::neural_fit
