#include "training/trainer.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/nn/utils/clip_grad.h>

#include <chrono>
#include <cmath>
#include <filesystem>
#include <mutex>

#include "common/error.h"
#include "hmax/registry.h"
#include "training/checkpoint.h"
#include "training/data/dataset.h"
#include "training/data/loader.h"
#include "training/evaluate.h"
#include "training/losses.h"
#include "training/run_folder.h"
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
  if (c.arch != arch) fail("--resume {}: checkpoint is a {} model, this run trains {}", path, c.arch, arch);
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
    if (!options.count(key)) differences.push_back(fmt::format("{}={} only in the checkpoint", key, value));
  }
  if (!differences.empty()) {
    fail("--resume {}: model options differ: {}", path, fmt::join(differences, "; "));
  }
}

std::string duration(double seconds) {
  const auto s = static_cast<int64_t>(std::llround(seconds));
  return s >= 60 ? fmt::format("{}m{:02}s", s / 60, s % 60) : fmt::format("{}s", s);
}

}  // namespace

TrainResult train(const TrainOptions& options) {
  if (options.epochs <= 0) fail("--epochs {} invalid, expected a positive number", options.epochs);
  const torch::Device device = parse_device(options.device);
  if (options.amp && !device.is_cuda()) fail("--amp needs --device cuda (autocast is CUDA-only here)");

  // Data first: the model's classes, input size and channels follow from it.
  data::DatasetOptions dataset_options{options.class_map};
  auto train_set = data::open_dataset(options.data, options.train_split, dataset_options);
  const auto eval_split = options.eval_split.empty() ? data::default_eval_split(options.data) : options.eval_split;
  auto eval_set = data::open_dataset(options.data, eval_split, dataset_options);
  if (train_set->size() == 0) fail("{}: split '{}' is empty", options.data, options.train_split);
  if (eval_set->size() == 0) fail("{}: split '{}' is empty", options.data, eval_split);
  if (eval_set->classes().size() != train_set->classes().size()) {
    fail("{}: split '{}' has {} classes, split '{}' has {}", options.data, options.train_split,
         train_set->classes().size(), eval_split, eval_set->classes().size());
  }

  auto model_options = complete_model_options(options.model_options, *train_set,
                                              options.train_transform.img_size);
  torch::manual_seed(options.seed);
  auto model = hmax::create_model(options.model, {{}, model_options});
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

  data::LoaderOptions train_loader_options;
  train_loader_options.batch_size = options.batch_size;
  train_loader_options.shuffle = true;
  train_loader_options.drop_last = static_cast<int64_t>(train_set->size()) >= options.batch_size;
  train_loader_options.seed = options.seed;
  train_loader_options.workers = options.workers;
  train_loader_options.skip_corrupt = true;
  train_loader_options.transform = train_transform;
  data::Loader train_loader(train_set, train_loader_options);

  auto eval_loader_options = train_loader_options;
  eval_loader_options.shuffle = false;
  eval_loader_options.drop_last = false;
  eval_loader_options.skip_corrupt = false;
  eval_loader_options.transform = eval_transform;
  data::Loader eval_loader(eval_set, eval_loader_options);

  auto optimizer_options = options.optimizer;
  auto optimizer = make_optimizer(*model, optimizer_options);
  auto schedule = options.schedule;
  schedule.lr = optimizer_options.lr;
  schedule.epochs = static_cast<double>(options.epochs);

  RunFolder run(options.output, !options.resume.empty());
  run.write_config(options.config_toml);

  int64_t start_epoch = 0, updates = 0, best_epoch = 0;
  double best_top1 = -1.0;
  std::vector<SummaryRow> rows;
  if (!options.resume.empty()) {
    if (resumed.optimizer.isNone()) fail("--resume {}: checkpoint has no optimizer state", options.resume);
    load_optimizer_state_dict(*optimizer, optimizer_options.name, resumed.optimizer);
    if (resumed.rng_state.defined()) set_generator_state(resumed.rng_state);
    start_epoch = resumed.epoch;
    updates = resumed.updates;
    best_top1 = resumed.best_top1;
    best_epoch = resumed.best_epoch;
    rows = run.read_summary_until(start_epoch);
    if (start_epoch >= options.epochs) {
      fail("--resume {}: the run already completed {} of {} epochs; raise --epochs to continue",
           options.resume, start_epoch, options.epochs);
    }
  }

  int64_t steps = train_loader.batches_per_epoch();
  if (options.limit_train_batches > 0) steps = std::min(steps, options.limit_train_batches);
  run.log(fmt::format("train {} ({} parameters) on {} split {} ({} images, {} classes), eval split {} "
                      "({} images); {} epochs x {} batches of {}; device {}, {} threads",
                      options.model, hmax::parameter_count(*model), options.data, options.train_split,
                      train_set->size(), train_set->classes().size(), eval_split, eval_set->size(),
                      options.epochs, steps, options.batch_size, device.str(), at::get_num_threads()));
  if (start_epoch > 0) run.log(fmt::format("resumed from {} after epoch {}", options.resume, start_epoch));

  TrainResult result;
  result.run_dir = run.dir();
  const auto run_start = Clock::now();
  for (int64_t epoch = start_epoch; epoch < options.epochs; ++epoch) {
    model->train();
    train_loader.start_epoch(epoch);
    const auto epoch_start = Clock::now();
    auto window_start = epoch_start;
    int64_t window_images = 0;
    double loss_sum = 0, lr = 0;
    int64_t loss_batches = 0;
    for (int64_t step = 0; step < steps; ++step) {
      auto batch = train_loader.next();
      if (!batch) break;
      lr = learning_rate(schedule, static_cast<double>(updates) / static_cast<double>(steps));
      set_learning_rate(*optimizer, lr);
      auto images = batch->images.to(device, /*non_blocking=*/true);
      auto labels = batch->labels.to(device, /*non_blocking=*/true);
      optimizer->zero_grad();
      torch::Tensor loss;
      {
        if (options.amp) {
          at::autocast::set_autocast_gpu_dtype(at::kBFloat16);
          at::autocast::set_enabled(true);
        }
        auto logits = model->forward(images);
        if (options.amp) {
          at::autocast::clear_cache();
          at::autocast::set_enabled(false);
        }
        loss = smoothed_cross_entropy(logits, labels, options.smoothing);
        if (auto extra = model->auxiliary_loss(); extra.defined()) loss = loss + extra;
      }
      const double value = loss.item<double>();
      if (!std::isfinite(value)) {
        fail("loss became {} at epoch {} batch {}; stopped. {}", value, epoch + 1, step + 1,
             epoch > 0 ? fmt::format("The last good checkpoint is {}", run.path("last.pt"))
                       : std::string("No checkpoint was written (first epoch); lower --lr or add --clip-grad"));
      }
      loss.backward();
      if (options.clip_grad > 0) torch::nn::utils::clip_grad_norm_(model->parameters(), options.clip_grad);
      optimizer->step();
      ++updates;
      loss_sum += value;
      ++loss_batches;
      window_images += labels.size(0);
      if (options.log_interval > 0 && ((step + 1) % options.log_interval == 0 || step + 1 == steps)) {
        const auto now = Clock::now();
        const double window_s = std::chrono::duration<double>(now - window_start).count();
        const double epoch_s = std::chrono::duration<double>(now - epoch_start).count();
        run.log(fmt::format("epoch {}/{} batch {}/{} loss {:.4f} (mean {:.4f}) lr {:.5g} {:.1f} img/s ETA {}",
                            epoch + 1, options.epochs, step + 1, steps, value, loss_sum / loss_batches, lr,
                            window_images / std::max(window_s, 1e-9),
                            duration(epoch_s / (step + 1) * (steps - step - 1))));
        window_start = now;
        window_images = 0;
      }
    }
    const auto eval = evaluate(*model, eval_loader, device);
    const double epoch_s = std::chrono::duration<double>(Clock::now() - epoch_start).count();
    rows.push_back({epoch + 1, loss_batches ? loss_sum / loss_batches : 0.0, eval.loss, eval.top1, eval.top5, lr});
    run.write_summary(rows);
    const bool improved = eval.top1 > best_top1;
    if (improved) {
      best_top1 = eval.top1;
      best_epoch = epoch + 1;
    }
    Checkpoint c;
    c.arch = options.model;
    c.model_options = resolved;
    c.args = options.args;
    c.data_config = data_config_of(eval_transform);
    c.classes = train_set->classes();
    c.state_dict = module_state_dict(*model);
    c.optimizer = optimizer_state_dict(*optimizer, optimizer_options.name);
    c.rng_state = generator_state();
    c.epoch = epoch + 1;
    c.updates = updates;
    c.best_top1 = best_top1;
    c.best_epoch = best_epoch;
    save_checkpoint(run.path("last.pt"), c);
    if (improved) save_checkpoint(run.path("best.pt"), c);
    run.log(fmt::format("epoch {}/{} done in {}: train_loss {:.4f} eval_loss {:.4f} top1 {:.2f} top5 {:.2f} "
                        "(n={}){}", epoch + 1, options.epochs, duration(epoch_s), rows.back().train_loss,
                        eval.loss, eval.top1, eval.top5, eval.n, improved ? " best" : ""));
    result.last_top1 = eval.top1;
    result.last_top5 = eval.top5;
  }
  result.best_top1 = best_top1;
  result.best_epoch = best_epoch;
  result.skipped = train_loader.skipped();
  if (!result.skipped.empty()) {
    run.log(fmt::format("skipped {} unreadable training images: {}", result.skipped.size(),
                        fmt::join(result.skipped, ", ")));
  }
  run.log(fmt::format("finished in {}: best top1 {:.2f} (epoch {}), last top1 {:.2f}; run folder {}",
                      duration(std::chrono::duration<double>(Clock::now() - run_start).count()), best_top1,
                      best_epoch, result.last_top1, run.dir()));
  return result;
}

}  // namespace ventral::training
