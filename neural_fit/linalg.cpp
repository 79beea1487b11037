#include "neural_fit/linalg.h"

#include <algorithm>
#include <limits>
#include <stdexcept>

#ifdef _OPENMP
#include <omp.h>
#endif

#include "common/error.h"

#ifdef VENTRAL_HAVE_LAPACK
extern "C" void dsyevd_(const char* jobz, const char* uplo, const int* n, double* a, const int* lda,
                        double* w, double* work, const int* lwork, int* iwork, const int* liwork,
                        int* info);
#endif

namespace ventral::neural_fit {

Matrix pinv(const Matrix& a) {
  if (a.size() == 0) return Matrix::Zero(a.cols(), a.rows());
  Eigen::JacobiSVD<Matrix> svd(a, Eigen::ComputeThinU | Eigen::ComputeThinV);
  const Vector& s = svd.singularValues();
  double cutoff = static_cast<double>(std::max(a.rows(), a.cols())) *
                  std::numeric_limits<double>::epsilon() * (s.size() ? s(0) : 0.0);
  Vector inv = Vector::Zero(s.size());
  for (Index i = 0; i < s.size(); ++i) {
    if (s(i) > cutoff) inv(i) = 1.0 / s(i);
  }
  return svd.matrixV() * inv.asDiagonal() * svd.matrixU().transpose();
}

void symmetric_eigen(const Matrix& a, Vector& values, Matrix& vectors) {
  const Index n = a.rows();
  if (a.cols() != n) throw std::invalid_argument("symmetric_eigen: matrix is not square");
#ifdef VENTRAL_HAVE_LAPACK
  vectors = a;
  values.resize(n);
  if (n == 0) return;
  const int ni = static_cast<int>(n);
  int info = 0, lwork = -1, liwork = -1, iwork_query = 0;
  double work_query = 0;
  dsyevd_("V", "L", &ni, vectors.data(), &ni, values.data(), &work_query, &lwork, &iwork_query, &liwork,
          &info);
  lwork = static_cast<int>(work_query);
  liwork = iwork_query;
  std::vector<double> work(static_cast<std::size_t>(std::max(lwork, 1)));
  std::vector<int> iwork(static_cast<std::size_t>(std::max(liwork, 1)));
  dsyevd_("V", "L", &ni, vectors.data(), &ni, values.data(), work.data(), &lwork, iwork.data(), &liwork,
          &info);
  if (info != 0) throw std::runtime_error(fmt::format("dsyevd failed (info {})", info));
#else
  Eigen::SelfAdjointEigenSolver<Matrix> solver(a);
  if (solver.info() != Eigen::Success) throw std::runtime_error("eigendecomposition failed");
  values = solver.eigenvalues();
  vectors = solver.eigenvectors();
#endif
}

Matrix gather_rows(const Matrix& m, const Rows& rows) {
  Matrix out(static_cast<Index>(rows.size()), m.cols());
  for (std::size_t i = 0; i < rows.size(); ++i) out.row(static_cast<Index>(i)) = m.row(rows[i]);
  return out;
}

RowVector column_means(const Matrix& m) {
  if (m.rows() == 0) return RowVector::Zero(m.cols());
  return m.colwise().mean();
}

int set_math_threads(int requested) {
#ifdef _OPENMP
  int threads = requested > 0 ? requested : omp_get_num_procs();
  omp_set_num_threads(threads);
  return threads;
#else
  (void)requested;
  return 1;
#endif
}

}  // namespace ventral::neural_fit
