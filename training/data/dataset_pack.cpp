#include "training/data/dataset_pack.h"

#include <algorithm>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"
#include "common/parallel_map.h"
#include "common/progress.h"
#include "training/data/transforms.h"

namespace ventral::data {
namespace {

constexpr std::size_t kBlock = 64;  // images decoded in parallel, then written together

TransformOptions pack_transform(const Dataset& dataset, int size) {
  TransformOptions options;
  options.img_size = size;
  options.train = false;
  options.crop_pct = 1.0;  // shorter side exactly `size`, then the centre square
  options.channels = dataset.channels();
  return options;
}

Image packed_sample(const Dataset& dataset, std::size_t i, const TransformOptions& options) {
  std::mt19937_64 unused_rng(0);  // the eval transform draws nothing
  if (auto bytes = dataset.encoded(i)) {
    return transform_encoded(bytes->data(), bytes->size(), dataset.source(i), options, unused_rng);
  }
  return transform_image(dataset.load(i), options, unused_rng);
}

// Decodes samples [begin, end) on `threads` threads; rethrows the first failing sample's error.
std::vector<Image> decode_block(const Dataset& dataset, std::size_t begin, std::size_t end,
                                const TransformOptions& options, int threads) {
  return parallel_map(end - begin, threads,
                      [&](std::size_t k) { return packed_sample(dataset, begin + k, options); });
}

}  // namespace

PackSummary pack_dataset(const Dataset& dataset, const std::string& out_path,
                         const PackOptions& options) {
  if (options.size < 0)
    fail("--size: expected 0 (native size) or a positive size, got {}", options.size);
  const std::size_t n = dataset.size();
  if (n == 0) fail("{}: the dataset split has no images", options.source);
  AtomicOutput output(out_path);
  const TransformOptions transform = pack_transform(dataset, options.size);
  const int threads = std::max(1, options.threads);

  std::vector<Image> block = decode_block(dataset, 0, std::min(n, kBlock), transform, threads);
  PackSummary summary{n, block[0].height, block[0].width, block[0].channels};
  const std::size_t image_bytes = static_cast<std::size_t>(summary.height) * summary.width *
                                  summary.channels;
  h5::File file = h5::File::create(output.temp_path());
  file.create_uint8("images", {n, static_cast<std::size_t>(summary.height),
                               static_cast<std::size_t>(summary.width),
                               static_cast<std::size_t>(summary.channels)});

  Progress progress("data pack", static_cast<std::int64_t>(n), "images");
  std::vector<std::uint8_t> buffer;
  for (std::size_t begin = 0; begin < n; begin += kBlock) {
    std::size_t end = std::min(n, begin + kBlock);
    if (begin > 0) block = decode_block(dataset, begin, end, transform, threads);
    buffer.resize((end - begin) * image_bytes);
    for (std::size_t k = 0; k < block.size(); ++k) {
      const Image& image = block[k];
      if (image.height != summary.height || image.width != summary.width ||
          image.channels != summary.channels) {
        fail("{}: is {}x{}x{}, but {} is {}x{}x{}; give --size to pack images of different sizes",
             dataset.source(begin + k), image.width, image.height, image.channels, dataset.source(0),
             summary.width, summary.height, summary.channels);
      }
      std::copy(image.pixels.begin(), image.pixels.end(), buffer.begin() + k * image_bytes);
    }
    file.write_uint8_rows("images", begin, end - begin, buffer.data());
    progress.update(static_cast<std::int64_t>(end));
  }

  std::vector<std::int64_t> labels(n);
  for (std::size_t i = 0; i < n; ++i) labels[i] = dataset.label(i);
  file.write_int64("labels", {n}, labels.data());
  file.write_strings("classes", dataset.classes());
  file.write_attribute("source", options.source);
  file.write_attribute("split", options.split);
  file.close();
  output.commit();
  return summary;
}

}  // namespace ventral::data
