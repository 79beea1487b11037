#include "tests/neural_fit/reference_fixture.h"

#include <catch2/catch.hpp>
#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "common/h5_file.h"

namespace ventral::neural_fit::testing {

std::string scratch_dir() {
  static int counter = 0;
  auto dir = std::filesystem::temp_directory_path() /
             fmt::format("ventral_nf_{}_{}", static_cast<long>(getpid()), counter++);
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  return dir.string();
}

const std::string& reference_dir() {
  static const std::string dir = [] {
    std::string out = scratch_dir();
    std::string command = fmt::format("{} {}/tests/neural_fit/make_reference.py {}", VENTRAL_PYTHON,
                                      VENTRAL_SOURCE_DIR, out);
    int rc = std::system(command.c_str());
    if (rc != 0) FAIL("make_reference.py failed: " << command);
    return out;
  }();
  return dir;
}

Matrix read_matrix(const std::string& file, const std::string& dataset) {
  auto f = h5::File::open_read(file);
  h5::Shape shape;
  auto values = f.read_double(dataset, &shape);
  const Index rows = shape.empty() ? 1 : static_cast<Index>(shape[0]);
  const Index cols = shape.size() > 1 ? static_cast<Index>(values.size()) / rows : 1;
  Matrix m(rows, cols);
  for (Index i = 0; i < rows; ++i) {
    for (Index j = 0; j < cols; ++j) m(i, j) = values[static_cast<std::size_t>(i * cols + j)];
  }
  return m;
}

double max_relative_error(const Matrix& a, const Matrix& b, double floor) {
  REQUIRE(a.rows() == b.rows());
  REQUIRE(a.cols() == b.cols());
  double worst = 0;
  for (Index i = 0; i < a.rows(); ++i) {
    for (Index j = 0; j < a.cols(); ++j) {
      worst = std::max(worst, std::abs(a(i, j) - b(i, j)) / std::max(std::abs(b(i, j)), floor));
    }
  }
  return worst;
}

}  // namespace ventral::neural_fit::testing
