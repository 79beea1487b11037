#include "alignment/model_alignment.h"

#include <torch/torch.h>

#include <chrono>

#include "alignment/clickme_map.h"
#include "alignment/saliency.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/image_io.h"
#include "common/parallel_map.h"
#include "common/progress.h"

namespace ventral::alignment {
namespace {

namespace F = torch::nn::functional;

// tf.image.resize "bilinear": half-pixel centres, no antialias.
torch::Tensor resize(const torch::Tensor& x, int64_t side) {
  if (x.size(-2) == side && x.size(-1) == side) return x;
  return F::interpolate(x, F::InterpolateFuncOptions()
                               .size(std::vector<int64_t>{side, side})
                               .mode(torch::kBilinear)
                               .align_corners(false));
}

// Photograph i as the model's input, 1 x C x side x side in [0, 1] (not yet normalised).
torch::Tensor model_input(const ClickMeSource& clickme, std::size_t i,
                          const data::TransformOptions& transform, int64_t side) {
  Image image = clickme.photograph(i);
  if (transform.channels == 1) image = to_gray(image);  // PIL's luma, before resizing
  auto x = torch::from_blob(image.pixels.data(), {1, image.height, image.width, image.channels},
                            torch::kUInt8)
               .permute({0, 3, 1, 2})
               .to(torch::kFloat32);
  return resize(x, side) / 255.0;
}

// (x - mean) / std with the checkpoint's values.
torch::Tensor normalise(const torch::Tensor& x, const data::TransformOptions& transform) {
  const auto channels = x.size(1);
  auto per_channel = [&](const std::vector<float>& v) {
    auto t = torch::tensor(v, torch::kFloat32);
    return (t.numel() == 1 ? t.expand({channels}) : t).view({1, channels, 1, 1});
  };
  return (x - per_channel(transform.mean)) / per_channel(transform.std);
}

// Records `indices` as the model's input batch, with their labels.
struct InputBatch {
  torch::Tensor images, labels;
};

InputBatch input_batch(const training::TrainedModel& trained, const ClickMeSource& clickme,
                       const std::vector<std::size_t>& indices, Protocol protocol) {
  if (!clickme.has_images()) {
    fail("{}: no 'images' dataset; a model's saliency needs the photographs", clickme.path());
  }
  const auto& transform = trained.eval_transform;
  const int64_t side = transform.img_size > 0 ? transform.img_size : kScoreSide;
  std::vector<torch::Tensor> inputs;
  std::vector<int64_t> labels;
  for (std::size_t i : indices) {
    if (i >= clickme.size())
      fail("{}: record {} out of range ({} records)", clickme.path(), i, clickme.size());
    inputs.push_back(model_input(clickme, i, transform, side));
    labels.push_back(clickme.labels()[i]);
  }
  auto images = torch::cat(inputs);
  if (protocol == Protocol::paper) {  // min-max rescaled over the whole batch, then normalised
    const auto lo = images.min(), hi = images.max();
    images = (images - lo) / (hi - lo).clamp_min(1e-12);
  }
  return {normalise(images, transform), torch::tensor(labels, torch::kInt64)};
}

// The saliency of a batch, resized to 224 x 224, on the CPU (the copy synchronises a GPU).
torch::Tensor batch_saliency(const training::TrainedModel& trained, const InputBatch& batch,
                             Protocol protocol) {
  auto& model = *trained.model;
  const auto device = model.parameters().empty() ? torch::Device(torch::kCPU)
                                                 : model.parameters()[0].device();
  auto maps = saliency_maps([&](const torch::Tensor& x) { return model.forward(x); },
                            batch.images.to(device), batch.labels,
                            protocol == Protocol::paper ? ChannelReduction::abs_mean
                                                        : ChannelReduction::max_abs);
  return resize(maps.unsqueeze(1), kScoreSide).squeeze(1).to(torch::kCPU, torch::kFloat32).contiguous();
}

}  // namespace

torch::Tensor model_saliency(const training::TrainedModel& trained, const ClickMeSource& clickme,
                             const std::vector<std::size_t>& indices, Protocol protocol) {
  return batch_saliency(trained, input_batch(trained, clickme, indices, protocol), protocol);
}

AlignmentSummary score_model(const training::TrainedModel& trained, const ClickMeSource& clickme,
                             const ModelAlignmentOptions& options) {
  if (!clickme.has_images()) {
    fail("{}: no 'images' dataset; scoring a model needs the photographs", clickme.path());
  }
  if (options.batch_size <= 0)
    fail("--batch-size {} invalid, expected a positive number", options.batch_size);
  const std::size_t n = clickme.size();

  std::optional<AtomicOutput> maps_out;
  std::optional<h5::File> maps_file;
  if (!options.save_maps.empty()) {
    refuse_input_as_output(options.save_maps, clickme_files(clickme.path()));
    maps_out.emplace(options.save_maps);
    maps_file.emplace(h5::File::create(maps_out->temp_path()));
    maps_file->write_strings("stimulus_id", clickme.stimulus_ids());
    maps_file->create_float("maps", {n, std::size_t{kScoreSide}, std::size_t{kScoreSide}});
  }

  const auto start = std::chrono::steady_clock::now();
  double model_seconds = 0;
  Progress progress("align", static_cast<std::int64_t>(n), "images");
  std::vector<ImageAlignment> per_image;
  per_image.reserve(n);
  for (std::size_t begin = 0; begin < n; begin += static_cast<std::size_t>(options.batch_size)) {
    const std::size_t end = std::min(n, begin + static_cast<std::size_t>(options.batch_size));
    std::vector<std::size_t> indices;
    for (std::size_t i = begin; i < end; ++i) indices.push_back(i);
    const auto batch = input_batch(trained, clickme, indices, options.protocol);
    const auto model_start = std::chrono::steady_clock::now();
    const auto maps = batch_saliency(trained, batch, options.protocol);
    model_seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - model_start)
                         .count();
    if (maps_file) maps_file->write_float_rows("maps", begin, end - begin, maps.data_ptr<float>());
    const float* data = maps.data_ptr<float>();
    constexpr std::size_t kPixels = std::size_t{kScoreSide} * kScoreSide;
    auto block = parallel_map(end - begin, options.threads, [&](std::size_t k) {
      std::vector<float> map(data + k * kPixels, data + (k + 1) * kPixels);
      const auto human = clickme.human_map(begin + k);
      auto image = align_image(map, kScoreSide, kScoreSide, human.values, human.height, human.width,
                               options.protocol);
      image.stimulus_id = clickme.stimulus_ids()[begin + k];
      return image;
    });
    for (auto& image : block) per_image.push_back(std::move(image));
    progress.update(static_cast<std::int64_t>(end));
  }
  if (maps_file) {
    maps_file->close();
    maps_out->commit();
  }
  auto summary = summarise(std::move(per_image), kHumanSpearmanCeiling, options.protocol);
  summary.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  summary.model_seconds = model_seconds;
  return summary;
}

}  // namespace ventral::alignment
