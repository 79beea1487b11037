// What every consumer of a trained model needs besides the weights: the device, the
// model options a dataset implies, the preprocessing it was trained with, and loading a
// checkpoint back into a ready model (eval, features).
#pragma once

#include <torch/types.h>

#include <map>
#include <memory>
#include <string>

#include "models/vision_model.h"
#include "training/checkpoint.h"
#include "training/data/dataset.h"
#include "training/data/transforms.h"

namespace ventral::training {

/// "cpu", "cuda" or "cuda:N"; Error when CUDA is requested but this LibTorch has none.
torch::Device parse_device(const std::string& name);

/// The model options a dataset implies, unless given: num_classes (the dataset's class
/// count), input_size (`img_size`, or the first image's side) and in_chans = 1 for gray
/// datasets.
std::map<std::string, std::string> complete_model_options(std::map<std::string, std::string> given,
                                                          const data::Dataset& dataset, int img_size);

/// Sets the output channels; without explicit mean/std uses ImageNet's (their average
/// for one channel, as timm does for in_chans = 1).
void complete_transform(data::TransformOptions& transform, int channels, bool mean_std_given);

/// The eval preprocessing of a transform, as stored in a checkpoint's data_config.
std::map<std::string, std::string> data_config_of(const data::TransformOptions& eval_transform);

struct TrainedModel {
  std::shared_ptr<models::VisionModelImpl> model;  ///< in eval mode, on the requested device
  data::TransformOptions eval_transform;
  Checkpoint checkpoint;  ///< metadata; state_dict already loaded
  std::string path;       ///< the checkpoint file
};

/// Rebuilds the model of a checkpoint and loads its weights. Throws Error naming the path.
TrainedModel load_trained_model(const std::string& path, const torch::Device& device);

}  // namespace ventral::training
