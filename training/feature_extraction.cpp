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

std::vector<torch::Tensor> load_all(const std::vector<std::string>& paths, int channels,
                                    const FeatureExtractionOptions& options) {
  std::vector<torch::Tensor> images;
  images.reserve(paths.size());
  for (const auto& path : paths) {
    if (options.transform) {
      std::mt19937_64 unused_rng(0);  // eval transforms draw nothing
      images.push_back(data::apply_transform(read_image(path), *options.transform, unused_rng));
    } else {
      images.push_back(load_image_tensor(path, channels, options.size));
    }
  }
  return images;
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
  if (options.batch_size <= 0)
    fail("--batch-size {} invalid, expected a positive number", options.batch_size);
  FeatureExtractionResult result;
  result.layers = model.resolve_layers(options.layers);
  result.stimulus_ids = stimulus_ids(paths);
  // An output never replaces one of the command's inputs.
  std::error_code ec;
  for (const auto& path : paths) {
    if (std::filesystem::exists(out_path, ec) && std::filesystem::equivalent(out_path, path, ec)) {
      fail("--out {}: is one of the input images; choose another output file", out_path);
    }
  }
  AtomicOutput output(out_path);
  auto images = load_all(paths, model.input_channels(), options);
  check_sizes(model, images, paths, result.layers, options.device);

  auto file = h5::File::create(output.temp_path());
  file.write_strings("stimulus_id", result.stimulus_ids);
  for (const auto& [key, value] : options.attributes) file.write_attribute(key, value);
  file.write_attribute("layers", fmt::format("{}", fmt::join(result.layers, ",")));

  const std::size_t n = images.size();
  Progress progress("features", static_cast<std::int64_t>(n), "images");
  bool created = false;
  for (std::size_t begin = 0; begin < n;) {
    std::size_t end = begin + 1;
    while (end < n && end - begin < static_cast<std::size_t>(options.batch_size) &&
           images[end].sizes() == images[begin].sizes()) {
      ++end;
    }
    auto batch = torch::stack(std::vector<torch::Tensor>(images.begin() + begin, images.begin() + end));
    for (const auto& [name, tensor] : model.features(batch.to(options.device), result.layers)) {
      auto values = tensor.to(torch::kCPU, torch::kFloat32).contiguous();
      if (!created) {
        h5::Shape shape(values.sizes().begin(), values.sizes().end());
        shape[0] = n;
        file.create_float(name, shape);
      }
      file.write_float_rows(name, begin, end - begin, values.data_ptr<float>());
    }
    created = true;
    begin = end;
    progress.update(static_cast<std::int64_t>(begin));
  }
  file.close();
  output.commit();
  return result;
}

}  // namespace ventral::training
