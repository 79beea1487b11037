// Helpers shared by the recurrent_cells tests.
#pragma once

#include <torch/torch.h>

#include <cmath>

namespace ventral::recurrent::test {

inline double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

inline double cosine(const torch::Tensor& a, const torch::Tensor& b) {
  const auto x = a.flatten().to(torch::kDouble);
  const auto y = b.flatten().to(torch::kDouble);
  return (x.dot(y) / (x.norm() * y.norm())).item<double>();
}

inline bool channel_symmetric(const torch::Tensor& w) { return torch::equal(w, w.transpose(0, 1)); }

}  // namespace ventral::recurrent::test
