// Small dense linear-algebra helpers used by the regressions: pseudo-inverse with
// scipy.linalg.pinv's cutoff, symmetric eigendecomposition (LAPACK dsyevd when
// available), row gathering and thread control.
#pragma once

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// Moore-Penrose pseudo-inverse by SVD; singular values below
/// max(rows, cols) * eps * s_max are treated as zero (scipy.linalg.pinv defaults).
Matrix pinv(const Matrix& a);

/// Eigendecomposition of a symmetric matrix: a = vectors * diag(values) * vectors^T,
/// eigenvalues ascending (as numpy/scipy eigh). Only the lower triangle is read.
void symmetric_eigen(const Matrix& a, Vector& values, Matrix& vectors);

/// Rows `rows` of `m`, in that order.
Matrix gather_rows(const Matrix& m, const Rows& rows);

/// Column means of `m` (1 x cols).
RowVector column_means(const Matrix& m);

/// Sets the threads used by OpenMP loops and the BLAS (0: all available cores).
/// Returns the number in effect.
int set_math_threads(int requested);

}  // namespace ventral::neural_fit
