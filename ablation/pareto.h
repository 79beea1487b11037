// The Pareto front of points where more is better on both axes (top-1 against alignment or
// neural predictivity): the points no other point matches or beats on both.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace ventral::ablation {

struct ParetoPoint {
  std::string label;
  double x = 0, y = 0;
  std::string group;  ///< points of one group share a colour and a legend entry ("harmonize-weight=1")
};

/// Indices of the non-dominated points, by increasing x. A point is dominated when another has
/// x' >= x and y' >= y with one of them strictly greater; of identical points the first is kept.
std::vector<std::size_t> pareto_front(const std::vector<ParetoPoint>& points);

}  // namespace ventral::ablation
