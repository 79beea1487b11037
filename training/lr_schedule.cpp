#include "training/lr_schedule.h"

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace ventral::training {

const std::vector<std::string>& schedule_names() {
  static const std::vector<std::string> names = {"cosine", "step", "multistep", "constant"};
  return names;
}

ScheduleKind parse_schedule_kind(const std::string& name) {
  if (name == "cosine") return ScheduleKind::cosine;
  if (name == "step") return ScheduleKind::step;
  if (name == "multistep") return ScheduleKind::multistep;
  if (name == "constant") return ScheduleKind::constant;
  fail("--sched {} invalid, expected cosine, step, multistep or constant", name);
}

double learning_rate(const ScheduleOptions& o, double t) {
  if (o.warmup_epochs > 0 && t < o.warmup_epochs) {
    return o.warmup_lr + (o.lr - o.warmup_lr) * t / o.warmup_epochs;
  }
  const double after = t - o.warmup_epochs;
  switch (o.kind) {
    case ScheduleKind::cosine: {
      const double span = std::max(1e-12, o.epochs - o.warmup_epochs);
      const double progress = std::min(1.0, after / span);
      return o.min_lr + (o.lr - o.min_lr) * 0.5 * (1.0 + std::cos(M_PI * progress));
    }
    case ScheduleKind::step:
      return o.lr * std::pow(o.decay_rate, std::floor(after / std::max(1e-12, o.decay_epochs)));
    case ScheduleKind::multistep: {
      const auto passed = std::count_if(o.decay_milestones.begin(), o.decay_milestones.end(),
                                        [&](double m) { return t >= m; });
      return o.lr * std::pow(o.decay_rate, static_cast<double>(passed));
    }
    case ScheduleKind::constant:
      return o.lr;
  }
  return o.lr;
}

}  // namespace ventral::training
