// `ventral features`: named layers of a model for a set of images, written as HDF5
// (`stimulus_id` plus one float32 dataset per layer, images along the first axis).
#include <fmt/core.h>
#include <fmt/ranges.h>
#include <torch/torch.h>

#include <optional>
#include <random>
#include <set>

#include "apps/commands.h"
#include "apps/model_setup.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/image_io.h"
#include "common/progress.h"
#include "hmax/layer_names.h"
#include "training/data/transforms.h"
#include "training/image_files.h"
#include "training/trained_model.h"

namespace ventral::cli {
namespace {

bool is_spatial(const torch::Tensor& t) { return t.dim() > 2; }

// Decodes every image first, so a corrupt file fails before any compute. A trained
// model gets the eval preprocessing it was trained with (resize, centre crop, normalise);
// hmax-classic gets 0..255 pixels.
std::vector<torch::Tensor> load_all(const std::vector<std::string>& paths, int channels, int size,
                                    const std::optional<data::TransformOptions>& transform) {
  std::vector<torch::Tensor> images;
  images.reserve(paths.size());
  for (const auto& path : paths) {
    if (transform) {
      std::mt19937_64 unused_rng(0);  // eval transforms draw nothing
      images.push_back(data::apply_transform(read_image(path), *transform, unused_rng));
    } else {
      images.push_back(training::load_image_tensor(path, channels, size));
    }
  }
  return images;
}

std::vector<std::string> unique_stems(const std::vector<std::string>& paths) {
  std::vector<std::string> ids;
  std::set<std::string> seen;
  for (const auto& path : paths) {
    auto id = training::file_stem(path);
    if (!seen.insert(id).second) fail("{}: duplicate stimulus_id '{}' (file stems must be unique)", path, id);
    ids.push_back(id);
  }
  return ids;
}

}  // namespace

int run_features(const Params& params) {
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  if (params.layers.empty()) fail("--layers: required, e.g. --layers c1,c2");
  torch::NoGradGuard no_grad;
  std::shared_ptr<hmax::VisionModelImpl> model;
  std::optional<data::TransformOptions> transform;
  torch::Device device = torch::kCPU;
  std::string model_name = params.model;
  if (!params.checkpoint.empty()) {
    device = training::parse_device(params.device);
    auto trained = training::load_trained_model(params.checkpoint, device);
    model = trained.model;
    transform = trained.eval_transform;
    if (params.size > 0) transform->img_size = params.size;
    model_name = trained.checkpoint.arch;
  } else {
    model = build_model(params);
  }
  auto layers = model->resolve_layers(hmax::split_list(params.layers));
  auto paths = training::collect_image_paths(params.inputs, params.images_dir);
  auto ids = unique_stems(paths);
  AtomicOutput output(params.out);
  auto images = load_all(paths, model->input_channels(), params.size, transform);

  const auto& first = images.front();
  for (std::size_t i = 1; i < images.size(); ++i) {
    if (images[i].sizes() == first.sizes()) continue;
    auto probe = model->features(first.unsqueeze(0).to(device), layers);
    for (const auto& [name, tensor] : probe) {
      if (is_spatial(tensor)) {
        fail("{} is {}x{} but {} is {}x{}: spatial layer '{}' needs equal image sizes; "
             "pass --size PX to resize",
             paths[i], images[i].size(2), images[i].size(1), paths[0], first.size(2), first.size(1), name);
      }
    }
    break;
  }

  auto file = h5::File::create(output.temp_path());
  file.write_strings("stimulus_id", ids);
  file.write_attribute("model", model_name);
  if (!params.checkpoint.empty()) file.write_attribute("checkpoint", params.checkpoint);
  file.write_attribute("layers", fmt::format("{}", fmt::join(layers, ",")));
  if (!params.patches.empty()) file.write_attribute("patches", params.patches);

  const std::size_t n = images.size();
  Progress progress("features", static_cast<std::int64_t>(n), "images");
  bool created = false;
  for (std::size_t begin = 0; begin < n;) {
    // A batch holds consecutive images of one size.
    std::size_t end = begin + 1;
    while (end < n && end - begin < static_cast<std::size_t>(params.batch_size) &&
           images[end].sizes() == images[begin].sizes()) {
      ++end;
    }
    auto batch = torch::stack(std::vector<torch::Tensor>(images.begin() + begin, images.begin() + end));
    auto outputs = model->features(batch.to(device), layers);
    for (const auto& [name, tensor] : outputs) {
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
  fmt::print("wrote {} ({} images; layers {})\n", params.out, n, fmt::join(layers, ", "));
  return 0;
}

}  // namespace ventral::cli
