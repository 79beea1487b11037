#include "neural_fit/centred_rows.h"

#include <algorithm>
#include <stdexcept>

namespace ventral::neural_fit {
namespace {

constexpr Index kBlockBytes = Index{2} << 20;

Index block_width(Index requested, Index n, Index p) {
  Index w = requested > 0 ? requested : kBlockBytes / (8 * std::max<Index>(n, 1));
  return std::clamp<Index>(w, 1, std::max<Index>(p, 1));
}

RowVector mean_of_rows(const FeatureMatrix& x, const Rows& rows) {
  RowVector mean = RowVector::Zero(x.cols());
  for (Index r : rows) mean += x.row(r).cast<double>();
  if (!rows.empty()) mean /= static_cast<double>(rows.size());
  return mean;
}

// Plain loops for the one-column path, cloned for AVX2+FMA and dispatched at load time
// (the library is built for the baseline ISA): s += sum_r a_r (x_r - m) over four rows,
// and (x - m) . s.
__attribute__((target_clones("arch=haswell", "default"))) void add_centred_rows4(
    double* s, const float* const* x, const double* m, const double* a, Index w) {
  for (Index j = 0; j < w; ++j) {
    s[j] += (static_cast<double>(x[0][j]) - m[j]) * a[0] + (static_cast<double>(x[1][j]) - m[j]) * a[1] +
            (static_cast<double>(x[2][j]) - m[j]) * a[2] + (static_cast<double>(x[3][j]) - m[j]) * a[3];
  }
}

__attribute__((target_clones("arch=haswell", "default"))) double dot_centred(const float* x,
                                                                             const double* m,
                                                                             const double* s, Index w) {
  double acc = 0;
#pragma omp simd reduction(+ : acc)
  for (Index j = 0; j < w; ++j) acc += (static_cast<double>(x[j]) - m[j]) * s[j];
  return acc;
}

}  // namespace

CentredRows::CentredRows(const FeatureMatrix& x, Rows rows, Index block_columns)
    : CentredRows(x, rows, mean_of_rows(x, rows), block_columns) {}

CentredRows::CentredRows(const FeatureMatrix& x, Rows rows, RowVector mean, Index block_columns)
    : x_(x),
      rows_(std::move(rows)),
      mean_(std::move(mean)),
      block_columns_(block_width(block_columns, static_cast<Index>(rows_.size()), x.cols())) {
  if (mean_.size() != x_.cols()) throw std::invalid_argument("CentredRows: mean has the wrong width");
  for (Index r : rows_) {
    if (r < 0 || r >= x_.rows()) throw std::invalid_argument("CentredRows: row out of range");
  }
}

void CentredRows::load(Index begin, Index width, Block& block) const {
  const Index n = rows();
  block.resize(n, width);
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < n; ++i) {
    block.row(i) = x_.row(rows_[static_cast<std::size_t>(i)]).segment(begin, width).cast<double>() -
                   mean_.segment(begin, width);
  }
}

Matrix CentredRows::times(const Matrix& b) const {
  if (b.rows() != cols()) throw std::invalid_argument("CentredRows::times: shape mismatch");
  Matrix out = Matrix::Zero(rows(), b.cols());
  Block block;
  for (Index begin = 0; begin < cols(); begin += block_columns_) {
    const Index width = std::min(block_columns_, cols() - begin);
    load(begin, width, block);
    out.noalias() += block * b.middleRows(begin, width);
  }
  return out;
}

Matrix CentredRows::transpose_times(const Matrix& v) const {
  if (v.rows() != rows()) throw std::invalid_argument("CentredRows::transpose_times: shape mismatch");
  Matrix out(cols(), v.cols());
  Block block;
  for (Index begin = 0; begin < cols(); begin += block_columns_) {
    const Index width = std::min(block_columns_, cols() - begin);
    load(begin, width, block);
    out.middleRows(begin, width).noalias() = block.transpose() * v;
  }
  return out;
}

// One column (a PLS score per component): two streaming passes over the float32 rows,
// widened and centred on the fly, instead of the block path's widened copy (~3x faster;
// a single pass over column chunks is slower: short strided row segments miss the TLB).
Vector CentredRows::gram_times_vector(const Vector& v) const {
  const Index n = rows(), p = cols();
  constexpr Index kChunk = 2048;  // columns whose partial sums stay in L1
  Vector s = Vector::Zero(p);     // Xc^T v, each column chunk summed by one thread
  Vector padded_v = Vector::Zero((n + 3) / 4 * 4);
  padded_v.head(n) = v;
#pragma omp parallel for schedule(static)
  for (Index c = 0; c < p; c += kChunk) {
    const Index w = std::min(kChunk, p - c);
    for (Index i = 0; i < n; i += 4) {
      const float* x[4];
      for (Index k = 0; k < 4; ++k) {
        // rows past the end repeat row i with weight 0 (exact: adds zeros)
        const Index r = i + k < n ? i + k : i;
        x[k] = x_.row(rows_[static_cast<std::size_t>(r)]).data() + c;
      }
      add_centred_rows4(s.data() + c, x, mean_.data() + c, padded_v.data() + i, w);
    }
  }
  Vector out(n);
#pragma omp parallel for schedule(static)
  for (Index i = 0; i < n; ++i) {
    out(i) = dot_centred(x_.row(rows_[static_cast<std::size_t>(i)]).data(), mean_.data(), s.data(), p);
  }
  return out;
}

Matrix CentredRows::gram_times(const Matrix& v) const {
  if (v.rows() != rows()) throw std::invalid_argument("CentredRows::gram_times: shape mismatch");
  if (v.cols() == 1) return gram_times_vector(v.col(0));
  Matrix out = Matrix::Zero(rows(), v.cols());
  Matrix partial;  // Xc_b^T v for one column block b: Xc Xc^T v = sum_b Xc_b (Xc_b^T v)
  Block block;
  for (Index begin = 0; begin < cols(); begin += block_columns_) {
    const Index width = std::min(block_columns_, cols() - begin);
    load(begin, width, block);
    partial.noalias() = block.transpose() * v;
    out.noalias() += block * partial;
  }
  return out;
}

}  // namespace ventral::neural_fit
