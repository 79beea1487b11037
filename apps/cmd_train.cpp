// `ventral train`: flags (or a TOML config) to TrainOptions, then the trainer.
#include <fmt/core.h>

#include "alignment/harmonization_plugin.h"
#include "apps/commands.h"
#include "apps/model_setup.h"
#include "common/error.h"
#include "training/trainer.h"

namespace ventral::cli {
namespace {

std::vector<float> floats(const std::vector<double>& values) { return {values.begin(), values.end()}; }

std::pair<double, double> range_of(const std::vector<double>& values, const char* flag) {
  if (values.size() != 2 || !(values[0] > 0) || values[0] > values[1]) {
    fail("{} invalid, expected two positive numbers LO,HI with LO <= HI", flag);
  }
  return {values[0], values[1]};
}

}  // namespace

training::TrainOptions train_options(const Params& p) {
  if (p.data.empty()) fail("--data: required, e.g. --data idx:/usr/share/datasets/fashion-mnist");
  if (p.output.empty()) fail("--output: required, the run folder");
  training::TrainOptions o;
  o.model = p.model;
  o.model_options = parse_model_opts(p.model_opts);
  // The recurrence flags are model options of the recurrent models (hmax-hgru); a
  // feed-forward model rejects them as unknown options.
  if (!p.recurrent_grad.empty()) o.model_options["recurrent_grad"] = p.recurrent_grad;
  if (p.timesteps > 0) o.model_options["timesteps"] = std::to_string(p.timesteps);
  if (p.eval_timesteps > 0) o.model_options["eval_timesteps"] = std::to_string(p.eval_timesteps);
  o.data = p.data;
  o.train_split = p.train_split;
  o.eval_split = p.val_split;
  o.class_map = p.class_map;
  o.output = p.output;
  o.resume = p.resume;
  o.epochs = p.epochs;
  o.batch_size = p.batch_size;
  o.seed = p.seed;
  o.optimizer.name = p.opt;
  o.optimizer.lr = p.lr;
  o.optimizer.momentum = p.momentum;
  o.optimizer.nesterov = p.nesterov;
  o.optimizer.weight_decay = p.weight_decay;
  o.schedule.kind = training::parse_schedule_kind(p.sched);
  o.schedule.warmup_epochs = p.warmup_epochs;
  o.schedule.warmup_lr = p.warmup_lr;
  o.schedule.min_lr = p.min_lr;
  o.schedule.decay_epochs = p.decay_epochs;
  o.schedule.decay_milestones = p.decay_milestones;
  o.schedule.decay_rate = p.decay_rate;
  o.smoothing = p.smoothing;
  o.clip_grad = p.clip_grad;
  o.limit_train_batches = p.limit_train_batches;
  o.log_interval = p.log_interval;
  o.device = p.device;
  o.amp = p.amp;
  o.workers = p.workers;
  if (!p.harmonize.empty()) {
    o.harmonize_data = p.harmonize;
    o.harmonize_fraction = p.harmonize_fraction;
    o.plugins.push_back(std::make_shared<alignment::HarmonizationPlugin>(
        alignment::HarmonizationPluginOptions{p.harmonize_weight}));
  }

  data::TransformOptions t;
  t.img_size = p.img_size;
  t.crop_pct = p.crop_pct;
  t.hflip = p.hflip;
  t.random_resized_crop = !p.no_aug;
  std::tie(t.scale_min, t.scale_max) = range_of(p.scale, "--scale");
  std::tie(t.ratio_min, t.ratio_max) = range_of(p.ratio, "--ratio");
  if (p.mean.empty() != p.std.empty()) fail("--mean and --std go together; give both or neither");
  o.mean_std_given = !p.mean.empty();
  if (o.mean_std_given) {
    if (p.mean.size() != p.std.size())
      fail("--mean has {} values but --std {}", p.mean.size(), p.std.size());
    for (double s : p.std) {
      if (!(s > 0)) fail("--std {} invalid, expected positive values", s);
    }
    t.mean = floats(p.mean);
    t.std = floats(p.std);
  }
  o.train_transform = t;
  o.eval_transform = t;
  o.args = p.resolved_args;
  o.config_toml = p.resolved_config;
  return o;
}

int run_train(const Params& params) {
  const auto result = training::train(train_options(params));
  fmt::print("best top1 {:.2f} (epoch {}), last top1 {:.2f} top5 {:.2f}; run folder {}\n",
             result.best_top1, result.best_epoch, result.last_top1, result.last_top5, result.run_dir);
  return 0;
}

}  // namespace ventral::cli
