#include "training/feature_extraction.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <filesystem>
#include <random>
#include <set>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/image_io.h"
#include "common/progress.h"
#include "training/image_files.h"

namespace ventral::training {
namespace {

torch::Tensor to_input(const Image& image, int channels, const FeatureExtractionOptions& options) {
  if (!options.transform) return image_tensor(image, channels, options.size);
  std::mt19937_64 unused_rng(0);  // eval transforms draw nothing
  return data::apply_transform(image, *options.transform, unused_rng);
}

// Spatial layers stack only across images of one size; global ones (c2) work across sizes.
void check_sizes(models::VisionModelImpl& model, const std::vector<torch::Tensor>& images,
                 const std::vector<std::string>& paths, const std::vector<std::string>& layers,
                 const torch::Device& device) {
  const auto& first = images.front();
  for (std::size_t i = 1; i < images.size(); ++i) {
    if (images[i].sizes() == first.sizes()) continue;
    for (const auto& [name, tensor] : model.features(first.unsqueeze(0).to(device), layers)) {
      if (tensor.dim() > 2) {
        fail(
            "{} is {}x{} but {} is {}x{}: spatial layer '{}' needs equal image sizes; pass --size PX to resize",
            paths[i], images[i].size(2), images[i].size(1), paths[0], first.size(2), first.size(1),
            name);
      }
    }
    return;
  }
}

// Runs the model over decoded `images` (sources name them in messages) in batches of one
// size, handing each batch's layers to `sink(begin, end, features)`.
template <typename Sink>
void run_batches(models::VisionModelImpl& model, const std::vector<torch::Tensor>& images,
                 const std::vector<std::string>& sources, const std::vector<std::string>& layers,
                 const FeatureExtractionOptions& options, Sink&& sink) {
  check_sizes(model, images, sources, layers, options.device);
  const std::size_t n = images.size();
  Progress progress("features", static_cast<std::int64_t>(n), "images");
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && end - begin < static_cast<std::size_t>(options.batch_size) &&
           images[end].sizes() == images[begin].sizes()) {
      ++end;
    }
    auto batch = torch::stack(std::vector<torch::Tensor>(images.begin() + begin, images.begin() + end));
    sink(begin, end, model.features(batch.to(options.device), layers));
    begin = end;
    progress.update(static_cast<std::int64_t>(begin));
  }
}

// The same into an HDF5 file.
FeatureExtractionResult write_features(models::VisionModelImpl& model, std::vector<std::string> ids,
                                       const std::vector<torch::Tensor>& images,
                                       const std::vector<std::string>& sources,
                                       const FeatureExtractionOptions& options, AtomicOutput& output) {
  FeatureExtractionResult result;
  result.layers = model.resolve_layers(options.layers);
  result.stimulus_ids = std::move(ids);
  auto file = h5::File::create(output.temp_path());
  file.write_strings("stimulus_id", result.stimulus_ids);
  for (const auto& [key, value] : options.attributes) file.write_attribute(key, value);
  file.write_attribute("layers", fmt::format("{}", fmt::join(result.layers, ",")));
  const std::size_t n = images.size();
  bool created = false;
  run_batches(model, images, sources, result.layers, options,
              [&](std::size_t begin, std::size_t end, const models::NamedTensors& features) {
                for (const auto& [name, tensor] : features) {
                  auto values = tensor.to(torch::kCPU, torch::kFloat32).contiguous();
                  if (!created) {
                    h5::Shape shape(values.sizes().begin(), values.sizes().end());
                    shape[0] = n;
                    file.create_float(name, shape);
                  }
                  file.write_float_rows(name, begin, end - begin, values.data_ptr<float>());
                }
                created = true;
              });
  file.close();
  output.commit();
  return result;
}

// Samples 0 .. count-1 of a dataset as model inputs, with their ids and sources.
struct DatasetInputs {
  std::vector<std::string> ids, sources;
  std::vector<torch::Tensor> images;
};

DatasetInputs dataset_inputs(models::VisionModelImpl& model, const data::Dataset& dataset,
                             const std::string& split, const std::string& dataset_path,
                             std::size_t count, const FeatureExtractionOptions& options) {
  if (count == 0) count = dataset.size();
  if (count > dataset.size()) {
    fail("--count {}: the {} split of {} has {} images", count, split, dataset_path, dataset.size());
  }
  const int width = static_cast<int>(std::to_string(count - 1).size());  // ids sort like indices
  DatasetInputs inputs;
  inputs.images.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    inputs.ids.push_back(fmt::format("{}-{:0{}}", split, i, width));
    inputs.sources.push_back(dataset.source(i));
    inputs.images.push_back(to_input(dataset.load(i), model.input_channels(), options));
  }
  return inputs;
}

void check_batch_size(const FeatureExtractionOptions& options) {
  if (options.batch_size <= 0)
    fail("--batch-size {} invalid, expected a positive number", options.batch_size);
}

}  // namespace

std::vector<std::string> stimulus_ids(const std::vector<std::string>& paths) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& path : paths) {
    auto id = file_stem(path);
    if (!seen.insert(id).second)
      fail("{}: duplicate stimulus_id '{}' (file stems must be unique)", path, id);
    ids.push_back(id);
  }
  return ids;
}

FeatureExtractionResult extract_features(models::VisionModelImpl& model,
                                         const std::vector<std::string>& paths,
                                         const FeatureExtractionOptions& options,
                                         const std::string& out_path) {
  torch::NoGradGuard no_grad;
  check_batch_size(options);
  model.resolve_layers(options.layers);
  auto ids = stimulus_ids(paths);
  refuse_input_as_output(out_path, paths);
  AtomicOutput output(out_path);
  std::vector<torch::Tensor> images;
  images.reserve(paths.size());
  for (const auto& path : paths)
    images.push_back(to_input(read_image(path), model.input_channels(), options));
  return write_features(model, std::move(ids), images, paths, options, output);
}

FeatureExtractionResult extract_dataset_features(models::VisionModelImpl& model,
                                                 const data::Dataset& dataset, const std::string& split,
                                                 const std::string& dataset_path, std::size_t count,
                                                 const FeatureExtractionOptions& options,
                                                 const std::string& out_path) {
  torch::NoGradGuard no_grad;
  check_batch_size(options);
  model.resolve_layers(options.layers);
  refuse_input_as_output(out_path, {dataset_path});
  AtomicOutput output(out_path);
  auto inputs = dataset_inputs(model, dataset, split, dataset_path, count, options);
  return write_features(model, std::move(inputs.ids), inputs.images, inputs.sources, options, output);
}

FeatureSet dataset_features(models::VisionModelImpl& model, const data::Dataset& dataset,
                            const std::string& split, const std::string& dataset_path, std::size_t count,
                            const FeatureExtractionOptions& options) {
  torch::NoGradGuard no_grad;
  check_batch_size(options);
  FeatureSet set;
  set.layers = model.resolve_layers(options.layers);
  auto inputs = dataset_inputs(model, dataset, split, dataset_path, count, options);
  set.stimulus_ids = std::move(inputs.ids);
  std::map<std::string, std::vector<torch::Tensor>> parts;
  run_batches(model, inputs.images, inputs.sources, set.layers, options,
              [&](std::size_t, std::size_t, const models::NamedTensors& features) {
                for (const auto& [name, tensor] : features)
                  parts[name].push_back(tensor.to(torch::kCPU, torch::kFloat32).contiguous());
              });
  for (auto& [name, tensors] : parts) set.values[name] = torch::cat(tensors);
  return set;
}

}  // namespace ventral::training
