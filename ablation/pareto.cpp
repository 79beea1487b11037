#include "ablation/pareto.h"

#include <algorithm>

namespace ventral::ablation {

std::vector<std::size_t> pareto_front(const std::vector<ParetoPoint>& points) {
  std::vector<std::size_t> front;
  for (std::size_t i = 0; i < points.size(); ++i) {
    bool dominated = false;
    for (std::size_t j = 0; j < points.size() && !dominated; ++j) {
      if (j == i) continue;
      const auto &a = points[i], &b = points[j];
      const bool at_least = b.x >= a.x && b.y >= a.y;
      const bool better = b.x > a.x || b.y > a.y;
      dominated = at_least && (better || j < i);
    }
    if (!dominated) front.push_back(i);
  }
  std::sort(front.begin(), front.end(),
            [&](std::size_t a, std::size_t b) { return points[a].x < points[b].x; });
  return front;
}

}  // namespace ventral::ablation
