// `ventral train`: trains a registered model on a dataset split, evaluates on the eval
// split after every epoch, and keeps the run folder (run_folder.h) and checkpoints
// (checkpoint.h) up to date. Resuming from last.pt continues bit for bit on the same
// device and thread count: model, optimiser, schedule position, data order (a function
// of seed and epoch) and the random generator all come back.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "training/data/transforms.h"
#include "training/lr_schedule.h"
#include "training/optimizer_setup.h"
#include "training/trainer_plugin.h"

namespace ventral::training {

struct TrainOptions {
  std::string model = "hmax-wide";
  std::map<std::string, std::string> model_options;  ///< --model-opt key=value
  std::string data;                                  ///< dataset spec
  std::string train_split = "train";
  std::string eval_split;  ///< empty: the dataset kind's default
  std::string class_map;
  std::string output;
  std::string resume;  ///< RUN/last.pt
  int64_t epochs = 10;
  int64_t batch_size = 128;
  std::uint64_t seed = 0;
  OptimizerOptions optimizer;
  ScheduleOptions schedule;  ///< lr and epochs are taken from here
  double smoothing = 0.0;
  double clip_grad = 0.0;           ///< max global gradient norm; 0: off
  int64_t limit_train_batches = 0;  ///< 0: the whole split every epoch
  int64_t log_interval = 50;
  std::string device = "cpu";
  bool amp = false;
  int workers = 2;
  data::TransformOptions train_transform;  ///< channels and defaults completed by train()
  data::TransformOptions eval_transform;
  bool mean_std_given = false;              ///< false: ImageNet values (averaged for gray)
  std::map<std::string, std::string> args;  ///< resolved flags, stored in checkpoints
  std::string config_toml;                  ///< written as RUN/config.toml
  /// Data with human maps mixed into every training batch (`--harmonize clickme:PATH`, its
  /// train split); the loss that uses them is a plug-in (alignment/harmonization_plugin.h).
  std::string harmonize_data;
  double harmonize_fraction = 0.2;  ///< share of each batch from harmonize_data
  /// Extra loss terms, gradient averaging, EMA, ...: called at fixed points of every step.
  std::vector<std::shared_ptr<TrainerPlugin>> plugins;
};

struct TrainResult {
  double best_top1 = 0;
  int64_t best_epoch = 0;
  double last_top1 = 0;
  double last_top5 = 0;
  std::vector<std::string> skipped;  ///< unreadable training images
  std::string run_dir;
};

/// Runs the whole training. Throws Error for bad input (data, options, a checkpoint of
/// another model) and when the loss becomes non-finite (last.pt keeps the last good epoch).
TrainResult train(const TrainOptions& options);

}  // namespace ventral::training
