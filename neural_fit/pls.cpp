#include "neural_fit/pls.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

namespace ventral::neural_fit {
namespace {

constexpr double kEps = std::numeric_limits<double>::epsilon();

}  // namespace

int pls_components_for(int requested, Index n_features, Index n_samples,
                       std::vector<std::string>* warnings) {
  if (requested < 1) throw std::invalid_argument("PLS needs at least one component");
  if (n_features >= requested && n_samples - 1 >= requested) return requested;
  const Index used = std::max<Index>(1, std::min<Index>(n_features, n_samples - 1));
  if (warnings) {
    warnings->push_back(
        n_features < requested
            ? fmt::format(
                  "PLS: the layer has {} features, fewer than {} components; using {} components",
                  n_features, requested, used)
            : fmt::format("PLS: {} training samples support at most {} components; using {}", n_samples,
                          n_samples - 1, used));
  }
  return static_cast<int>(used);
}

Index pls_first_live_column(Matrix& y, bool* changed) {
  Index first = -1;
  if (changed) *changed = false;
  for (Index j = 0; j < y.cols(); ++j) {
    double peak = y.col(j).cwiseAbs().maxCoeff();
    if (peak < 10 * kEps) {
      if (changed && peak > 0) *changed = true;
      y.col(j).setZero();
    }
    if (first < 0 && peak > kEps) first = j;
  }
  return first;
}

}  // namespace ventral::neural_fit
