#include "neural_fit/neuron_to_neuron.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include "common/error.h"
#include "neural_fit/linalg.h"

namespace ventral::neural_fit {

std::vector<Index> neuron_to_neuron_map(const FeatureDesign& design, const Rows& train,
                                        const Matrix& y) {
  Matrix yc = y.rowwise() - column_means(y);
  RowVector y_norm = yc.colwise().norm();
  const Index q = y.cols();
  std::vector<Index> best(static_cast<std::size_t>(q), -1);
  std::vector<double> best_r(static_cast<std::size_t>(q), -std::numeric_limits<double>::infinity());
  constexpr Index kBlock = 1024;
  for (Index begin = 0; begin < design.width(); begin += kBlock) {
    const Index count = std::min(kBlock, design.width() - begin);
    Matrix xb = design.block(train, begin, count);
    xb = xb.rowwise() - column_means(xb);
    RowVector x_norm = xb.colwise().norm();
    Matrix r = xb.transpose() * yc;  // count x q
    for (Index j = 0; j < q; ++j) {
      for (Index f = 0; f < count; ++f) {
        double denom = x_norm(f) * y_norm(j);
        if (!(denom > 0)) continue;
        double value = r(f, j) / denom;
        if (value > best_r[j]) {
          best_r[j] = value;
          best[j] = begin + f;
        }
      }
    }
  }
  for (Index j = 0; j < q; ++j) {
    // A target constant on the training stimuli has no best unit; any unit will do.
    if (best[j] < 0 && !(y_norm(j) > 0)) best[j] = 0;
    if (best[j] < 0) fail("neuron-to-neuron: every feature is constant on the training stimuli");
  }
  return best;
}

Matrix neuron_to_neuron_predict(const FeatureDesign& design, const Rows& rows,
                                const std::vector<Index>& mapping) {
  Matrix out(static_cast<Index>(rows.size()), static_cast<Index>(mapping.size()));
  for (std::size_t i = 0; i < rows.size(); ++i) {
    for (std::size_t j = 0; j < mapping.size(); ++j) {
      out(static_cast<Index>(i), static_cast<Index>(j)) = design.features()(rows[i], mapping[j]);
    }
  }
  return out;
}

}  // namespace ventral::neural_fit
