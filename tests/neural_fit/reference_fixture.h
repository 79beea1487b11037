// Shared fixtures for the neural_fit tests: the reference files written once per test
// process by make_reference.py (Debian's python3 with sklearn, xarray, netCDF4), and a
// scratch folder.
#pragma once

#include <string>

#include "neural_fit/types.h"

namespace ventral::neural_fit::testing {

/// Folder holding make_reference.py's outputs (generated on first use; REQUIREs success).
const std::string& reference_dir();
/// A fresh empty scratch folder unique to this process.
std::string scratch_dir();
/// Reads a float64 dataset as a matrix (rank 1 -> one column).
Matrix read_matrix(const std::string& file, const std::string& dataset);
/// Largest |a - b| / max(|b|, floor) over all entries.
double max_relative_error(const Matrix& a, const Matrix& b, double floor = 1e-3);

}  // namespace ventral::neural_fit::testing
