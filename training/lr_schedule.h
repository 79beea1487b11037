// Learning-rate schedules with timm's names and formulas, evaluated per optimiser update
// at the fractional epoch t = update / updates_per_epoch (timm's "sched on updates"), so
// short runs get a smooth schedule. Warm-up is a prefix: the decay starts after it
// (timm warmup_prefix=True).
//   warm-up  (t < W):  warmup_lr + (lr - warmup_lr) * t / W
//   cosine:            min_lr + (lr - min_lr) * (1 + cos(pi * (t - W) / (E - W))) / 2
//   step:              lr * decay_rate ^ floor((t - W) / decay_epochs)
//   multistep:         lr * decay_rate ^ (number of milestones m with t >= m)
// Pure functions; the trainer sets the optimiser's rate from them before every update.
#pragma once

#include <string>
#include <vector>

namespace ventral::training {

enum class ScheduleKind { cosine, step, multistep, constant };

struct ScheduleOptions {
  ScheduleKind kind = ScheduleKind::cosine;
  double lr = 0.05;
  double epochs = 10;
  double warmup_epochs = 0;
  double warmup_lr = 1e-5;
  double min_lr = 0;
  double decay_epochs = 30;              ///< step
  std::vector<double> decay_milestones;  ///< multistep: epochs where the rate drops
  double decay_rate = 0.1;
};

/// The schedule names, in listing order: cosine, step, multistep, constant.
const std::vector<std::string>& schedule_names();

/// "cosine", "step", "multistep" or "constant"; throws Error otherwise.
ScheduleKind parse_schedule_kind(const std::string& name);

/// Learning rate at fractional epoch `t` (0 = first update).
double learning_rate(const ScheduleOptions& options, double t);

}  // namespace ventral::training
