// Feature extraction: named layers of a model for a set of image files or the first images
// of a dataset split, written as HDF5 (`stimulus_id` = file stems or "<split>-<index>", one
// float32 dataset per leaf layer with the images along the first axis). The library behind
// `ventral features`, callable from tests and benchmarks.
#pragma once

#include <torch/types.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "models/vision_model.h"
#include "training/data/dataset.h"
#include "training/data/transforms.h"

namespace ventral::training {

struct FeatureExtractionOptions {
  /// Layer names; groups ("c1") expand to their members.
  std::vector<std::string> layers;
  /// Resize every image to size x size first (Pillow-exact); 0 keeps the sizes. Ignored when
  /// `transform` is given (its img_size applies).
  int size = 0;
  /// Images per forward pass (a batch holds consecutive images of one size).
  int batch_size = 8;
  torch::Device device = torch::kCPU;
  /// A trained model's eval preprocessing (resize, centre crop, normalise); unset: 0..255
  /// pixels in the model's channels (hmax-classic).
  std::optional<data::TransformOptions> transform;
  /// Written as string attributes of the file (model, checkpoint, patches, ...).
  std::map<std::string, std::string> attributes;
};

struct FeatureExtractionResult {
  std::vector<std::string> stimulus_ids;
  std::vector<std::string> layers;  ///< the leaf layers written, in request order
};

/// Unique file stems of `paths`; Error naming the file for a repeated stem.
std::vector<std::string> stimulus_ids(const std::vector<std::string>& paths);

/// Decodes every image first (a corrupt file fails before any compute), runs the model in
/// batches with progress lines, and writes `out_path` atomically (nothing is left behind on
/// error). Throws Error for unknown layers, or spatial layers on images of unequal sizes.
FeatureExtractionResult extract_features(models::VisionModelImpl& model,
                                         const std::vector<std::string>& paths,
                                         const FeatureExtractionOptions& options,
                                         const std::string& out_path);

/// The same for samples 0 .. count-1 of `dataset` (count 0: all of them), with
/// stimulus_id "<split>-<index>" (zero-padded to one width). `dataset_path` is where the
/// dataset lives; --out may not be it.
FeatureExtractionResult extract_dataset_features(models::VisionModelImpl& model,
                                                 const data::Dataset& dataset, const std::string& split,
                                                 const std::string& dataset_path, std::size_t count,
                                                 const FeatureExtractionOptions& options,
                                                 const std::string& out_path);

/// Features held in memory: float32 CPU tensors (N x ...) by leaf layer.
struct FeatureSet {
  std::vector<std::string> stimulus_ids;
  std::vector<std::string> layers;
  std::map<std::string, torch::Tensor> values;
};

/// What extract_dataset_features would write, kept in memory (`ventral score`: no file).
FeatureSet dataset_features(models::VisionModelImpl& model, const data::Dataset& dataset,
                            const std::string& split, const std::string& dataset_path, std::size_t count,
                            const FeatureExtractionOptions& options);

}  // namespace ventral::training
