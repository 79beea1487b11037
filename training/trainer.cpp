#include "training/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "common/error.h"
#include "models/registry.h"
#include "training/checkpoint.h"
#include "training/data/dataset.h"
#include "training/data/loader.h"
#include "training/data/mixed_loader.h"
#include "training/evaluate.h"
#include "training/run_folder.h"
#include "training/train_step.h"
#include "training/trained_model.h"

namespace ventral::training {
namespace {

using Clock = std::chrono::steady_clock;

torch::Tensor generator_state() {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  return gen.get_state();
}

void set_generator_state(const torch::Tensor& state) {
  auto gen = at::detail::getDefaultCPUGenerator();
  std::lock_guard<std::mutex> lock(gen.mutex());
  gen.set_state(state);
}

// The resumed run must build the same network: same architecture, same options.
void check_same_model(const Checkpoint& c, const std::string& path, const std::string& arch,
                      const std::map<std::string, std::string>& options) {
  if (c.arch != arch)
    fail("--resume {}: checkpoint is a {} model, this run trains {}", path, c.arch, arch);
  std::vector<std::string> differences;
  for (const auto& [key, value] : options) {
    auto it = c.model_options.find(key);
    if (it == c.model_options.end()) {
      differences.push_back(fmt::format("{} (not in the checkpoint; here {})", key, value));
    } else if (it->second != value) {
      differences.push_back(fmt::format("{}={} in the checkpoint, {} here", key, it->second, value));
    }
  }
  for (const auto& [key, value] : c.model_options) {
    if (!options.count(key))
      differences.push_back(fmt::format("{}={} only in the checkpoint", key, value));
  }
  if (!differences.empty()) {
    fail("--resume {}: model options differ: {}", path, fmt::join(differences, "; "));
  }
}

std::string duration(double seconds) {
  const auto s = static_cast<int64_t>(std::llround(seconds));
  return s >= 60 ? fmt::format("{}m{:02}s", s / 60, s % 60) : fmt::format("{}s", s);
}

// The two splits a run reads; the model's classes, input size and channels follow from them.
// `maps`: the data mixed in for harmonization, if any.
struct RunData {
  std::shared_ptr<const data::Dataset> train, eval, maps;
  std::string eval_split;
};

// ClickMe labels must mean the task's classes: the same names, or the release's ImageNet
// indices (a file without `classes`) against a 1,000-class task in ImageNet order.
void check_map_classes(const data::Dataset& task, const data::Dataset& maps, const std::string& spec) {
  const auto& a = task.classes();
  const auto& b = maps.classes();
  if (a == b) return;
  if (a.size() == 1000 && b.size() == 1000 && b.front() == "0" && b.back() == "999") return;
  std::string first_difference;
  for (std::size_t k = 0; k < std::min(a.size(), b.size()); ++k) {
    if (a[k] != b[k]) {
      first_difference = fmt::format("; class {} is '{}' in the task data, '{}' there", k, a[k], b[k]);
      break;
    }
  }
  fail("--harmonize {}: has {} classes, the task data {}{}; the labels must mean the same classes", spec,
       b.size(), a.size(), first_difference);
}

RunData open_run_data(const TrainOptions& options) {
  data::DatasetOptions dataset_options{options.class_map};
  RunData d;
  d.train = data::open_dataset(options.data, options.train_split, dataset_options);
  d.eval_split = options.eval_split.empty() ? data::default_eval_split(options.data)
                                            : options.eval_split;
  d.eval = data::open_dataset(options.data, d.eval_split, dataset_options);
  if (d.train->size() == 0) fail("{}: split '{}' is empty", options.data, options.train_split);
  if (d.eval->size() == 0) fail("{}: split '{}' is empty", options.data, d.eval_split);
  if (d.eval->classes().size() != d.train->classes().size()) {
    fail("{}: split '{}' has {} classes, split '{}' has {}", options.data, options.train_split,
         d.train->classes().size(), d.eval_split, d.eval->classes().size());
  }
  if (!options.harmonize_data.empty()) {
    d.maps = data::open_dataset(options.harmonize_data, options.train_split);
    if (!d.maps->has_human_maps()) {
      fail("--harmonize {}: has no human maps; expected clickme:PATH", options.harmonize_data);
    }
    if (d.maps->size() == 0) fail("--harmonize {}: no images", options.harmonize_data);
    check_map_classes(*d.train, *d.maps, options.harmonize_data);
  }
  return d;
}

data::LoaderOptions loader_options(const TrainOptions& options, const data::TransformOptions& transform,
                                   bool train, std::size_t dataset_size) {
  data::LoaderOptions o;
  o.batch_size = options.batch_size;
  o.shuffle = train;
  o.drop_last = train && static_cast<int64_t>(dataset_size) >= options.batch_size;
  o.seed = options.seed;
  o.workers = options.workers;
  o.skip_corrupt = train;
  o.transform = transform;
  return o;
}

// Where a run stands between epochs: what a checkpoint restores and the summary holds.
struct RunProgress {
  int64_t epoch = 0;  ///< completed epochs
  int64_t updates = 0;
  int64_t best_epoch = 0;
  double best_top1 = -1.0;
  std::vector<SummaryRow> rows;
};

RunProgress resume_progress(const TrainOptions& options, const Checkpoint& resumed,
                            torch::optim::Optimizer& optimizer, const std::string& optimizer_name,
                            const RunFolder& run) {
  if (resumed.optimizer.isNone()) fail("--resume {}: checkpoint has no optimizer state", options.resume);
  load_optimizer_state_dict(optimizer, optimizer_name, resumed.optimizer);
  if (resumed.rng_state.defined()) set_generator_state(resumed.rng_state);
  RunProgress p{resumed.epoch, resumed.updates, resumed.best_epoch, resumed.best_top1, {}};
  p.rows = run.read_summary_until(p.epoch);
  if (p.epoch >= options.epochs) {
    fail("--resume {}: the run already completed {} of {} epochs; raise --epochs to continue",
         options.resume, p.epoch, options.epochs);
  }
  return p;
}

// A log line every --log-interval batches: loss, rate over the last window, ETA of the epoch.
class EpochLog {
 public:
  EpochLog(const TrainOptions& options, int64_t epoch, int64_t steps)
      : options_(options), epoch_(epoch), steps_(steps), start_(Clock::now()), window_start_(start_) {}

  void step(RunFolder& run, int64_t step, const StepResult& outcome, int64_t images, double lr) {
    loss_sum_ += outcome.loss;
    add_term("ce", outcome.task_loss);
    for (const auto& [name, value] : outcome.terms) add_term(name, value);
    ++batches_;
    window_images_ += images;
    if (options_.log_interval <= 0 || ((step + 1) % options_.log_interval != 0 && step + 1 != steps_))
      return;
    const auto now = Clock::now();
    const double window_s = std::chrono::duration<double>(now - window_start_).count();
    std::string parts;
    if (term_sums_.size() > 1) {
      for (const auto& [name, sum] : term_sums_)
        parts += fmt::format(" {} {:.4f}", name, sum / batches_);
      parts = " [means:" + parts + "]";
    }
    run.log(
        fmt::format("epoch {}/{} batch {}/{} loss {:.4f} (mean {:.4f}){} lr {:.5g} {:.1f} img/s ETA {}",
                    epoch_ + 1, options_.epochs, step + 1, steps_, outcome.loss, mean_loss(), parts, lr,
                    window_images_ / std::max(window_s, 1e-9),
                    duration(seconds() / (step + 1) * (steps_ - step - 1))));
    window_start_ = now;
    window_images_ = 0;
  }

  double mean_loss() const { return batches_ ? loss_sum_ / batches_ : 0.0; }

  /// Epoch means of the loss's parts (ce first); empty when the loss has no other part.
  std::vector<std::pair<std::string, double>> mean_terms() const {
    std::vector<std::pair<std::string, double>> means;
    if (term_sums_.size() < 2) return means;
    for (const auto& [name, sum] : term_sums_)
      means.emplace_back(name, sum / std::max<int64_t>(batches_, 1));
    return means;
  }
  double seconds() const { return std::chrono::duration<double>(Clock::now() - start_).count(); }

 private:
  const TrainOptions& options_;
  int64_t epoch_, steps_;
  Clock::time_point start_, window_start_;
  int64_t window_images_ = 0, batches_ = 0;
  double loss_sum_ = 0;
  std::vector<std::pair<std::string, double>> term_sums_;  // in first-seen order

  void add_term(const std::string& name, double value) {
    for (auto& [known, sum] : term_sums_) {
      if (known == name) {
        sum += value;
        return;
      }
    }
    term_sums_.emplace_back(name, value);
  }
};

// Everything --resume needs to continue exactly, after `progress.epoch` epochs.
Checkpoint epoch_checkpoint(const TrainOptions& options, torch::nn::Module& model,
                            torch::optim::Optimizer& optimizer, const std::string& optimizer_name,
                            const std::map<std::string, std::string>& resolved,
                            std::map<std::string, std::string> data_config,
                            std::vector<std::string> classes, const RunProgress& progress) {
  Checkpoint c;
  c.arch = options.model;
  c.model_options = resolved;
  c.args = options.args;
  c.data_config = std::move(data_config);
  c.classes = std::move(classes);
  c.state_dict = module_state_dict(model);
  c.optimizer = optimizer_state_dict(optimizer, optimizer_name);
  c.rng_state = generator_state();
  c.epoch = progress.epoch;
  c.updates = progress.updates;
  c.best_top1 = progress.best_top1;
  c.best_epoch = progress.best_epoch;
  return c;
}

}  // namespace

TrainResult train(const TrainOptions& options) {
  if (options.epochs <= 0) fail("--epochs {} invalid, expected a positive number", options.epochs);
  const torch::Device device = parse_device(options.device);
  if (options.amp && !device.is_cuda()) fail("--amp needs --device cuda (autocast is CUDA-only here)");

  const auto data = open_run_data(options);
  auto model_options = complete_model_options(options.model_options, *data.train,
                                              options.train_transform.img_size);
  torch::manual_seed(options.seed);
  auto model = models::create_model(options.model, {{}, model_options});
  const auto resolved = model->resolved_options();
  Checkpoint resumed;
  if (!options.resume.empty()) {
    resumed = load_checkpoint(options.resume);
    check_same_model(resumed, options.resume, options.model, resolved);
    load_module_state_dict(*model, resumed.state_dict, options.resume);
  }
  model->to(device);

  auto train_transform = options.train_transform;
  auto eval_transform = options.eval_transform;
  complete_transform(train_transform, model->input_channels(), options.mean_std_given);
  complete_transform(eval_transform, model->input_channels(), options.mean_std_given);
  train_transform.train = true;
  eval_transform.train = false;
  data::MixedLoader train_loader(data.train,
                                 loader_options(options, train_transform, true, data.train->size()),
                                 {data.maps, options.harmonize_fraction});
  for (const auto& plugin : options.plugins) plugin->check_model(*model);
  data::Loader eval_loader(data.eval, loader_options(options, eval_transform, false, data.eval->size()));

  auto optimizer_options = options.optimizer;
  auto optimizer = make_optimizer(*model, optimizer_options);
  auto schedule = options.schedule;
  schedule.lr = optimizer_options.lr;
  schedule.epochs = static_cast<double>(options.epochs);
  const StepOptions step_options{options.smoothing, options.clip_grad, options.amp, options.plugins};

  RunFolder run(options.output, !options.resume.empty());
  run.write_config(options.config_toml);
  RunProgress progress;
  if (!options.resume.empty())
    progress = resume_progress(options, resumed, *optimizer, optimizer_options.name, run);

  int64_t steps = train_loader.batches_per_epoch();
  if (options.limit_train_batches > 0) steps = std::min(steps, options.limit_train_batches);
  run.log(
      fmt::format("train {} ({} parameters) on {} split {} ({} images, {} classes), eval split {} "
                  "({} images); {} epochs x {} batches of {}; device {}, {} threads",
                  options.model, models::parameter_count(*model), options.data, options.train_split,
                  data.train->size(), data.train->classes().size(), data.eval_split, data.eval->size(),
                  options.epochs, steps, options.batch_size, device.str(), at::get_num_threads()));
  if (data.maps) {
    run.log(fmt::format("harmonize: {} of every {} images from {} ({} images with human maps)",
                        train_loader.map_rows(), options.batch_size, options.harmonize_data,
                        data.maps->size()));
  }
  if (progress.epoch > 0)
    run.log(fmt::format("resumed from {} after epoch {}", options.resume, progress.epoch));

  TrainResult result;
  result.run_dir = run.dir();
  const auto run_start = Clock::now();
  for (int64_t epoch = progress.epoch; epoch < options.epochs; ++epoch) {
    model->train();
    train_loader.start_epoch(epoch, steps);
    EpochLog log(options, epoch, steps);
    double lr = 0;
    for (int64_t step = 0; step < steps; ++step) {
      auto batch = train_loader.next();
      if (!batch) break;
      lr = learning_rate(schedule, static_cast<double>(progress.updates) / static_cast<double>(steps));
      set_learning_rate(*optimizer, lr);
      batch->images = batch->images.to(device, /*non_blocking=*/true);
      batch->labels = batch->labels.to(device, /*non_blocking=*/true);
      if (batch->tokens.defined()) {
        batch->human_maps = batch->human_maps.to(device, /*non_blocking=*/true);
        batch->tokens = batch->tokens.to(device, /*non_blocking=*/true);
      }
      const auto outcome = train_step(*model, *optimizer, *batch, step_options);
      if (!outcome.finite) {
        fail("loss became {} at epoch {} batch {}; stopped. {}", outcome.loss, epoch + 1, step + 1,
             epoch > 0 ? fmt::format("The last good checkpoint is {}", run.path("last.pt"))
                       : std::string(
                             "No checkpoint was written (first epoch); lower --lr or add --clip-grad"));
      }
      ++progress.updates;
      log.step(run, step, outcome, batch->labels.size(0), lr);
    }
    const auto eval = evaluate(*model, eval_loader, device);
    progress.rows.push_back(
        {epoch + 1, log.mean_loss(), eval.loss, eval.top1, eval.top5, lr, log.mean_terms()});
    run.write_summary(progress.rows);
    const bool improved = eval.top1 > progress.best_top1;
    progress.epoch = epoch + 1;
    if (improved) {
      progress.best_top1 = eval.top1;
      progress.best_epoch = epoch + 1;
    }
    const auto c = epoch_checkpoint(options, *model, *optimizer, optimizer_options.name, resolved,
                                    data_config_of(eval_transform), data.train->classes(), progress);
    save_checkpoint(run.path("last.pt"), c);
    if (improved) save_checkpoint(run.path("best.pt"), c);
    run.log(
        fmt::format("epoch {}/{} done in {}: train_loss {:.4f} eval_loss {:.4f} top1 {:.2f} top5 {:.2f} "
                    "(n={}){}",
                    epoch + 1, options.epochs, duration(log.seconds()), progress.rows.back().train_loss,
                    eval.loss, eval.top1, eval.top5, eval.n, improved ? " best" : ""));
    result.last_top1 = eval.top1;
    result.last_top5 = eval.top5;
  }
  result.best_top1 = progress.best_top1;
  result.best_epoch = progress.best_epoch;
  result.skipped = train_loader.skipped();
  if (!result.skipped.empty()) {
    run.log(fmt::format("skipped {} unreadable training images: {}", result.skipped.size(),
                        fmt::join(result.skipped, ", ")));
  }
  run.log(fmt::format("finished in {}: best top1 {:.2f} (epoch {}), last top1 {:.2f}; run folder {}",
                      duration(std::chrono::duration<double>(Clock::now() - run_start).count()),
                      progress.best_top1, progress.best_epoch, result.last_top1, run.dir()));
  return result;
}

}  // namespace ventral::training
