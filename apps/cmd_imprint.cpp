// `ventral imprint`: S2 prototypes imprinted from hmax-classic C1 responses to images.
#include <fmt/core.h>
#include <torch/torch.h>

#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "common/progress.h"
#include "common/text_list.h"
#include "hmax/hmax_classic.h"
#include "hmax/imprint.h"
#include "models/layer_names.h"
#include "training/image_files.h"

namespace ventral::cli {
namespace {

std::vector<int> parse_sizes(const std::string& text) {
  std::vector<int> sizes;
  for (const auto& part : ventral::split_list(text)) {
    int m = 0;
    try {
      std::size_t used = 0;
      m = std::stoi(part, &used);
      if (used != part.size()) m = 0;
    } catch (const std::exception&) {
    }
    if (m <= 0 || m % 2 != 0) fail("--sizes: '{}' is not a positive even patch size", part);
    sizes.push_back(m);
  }
  if (sizes.empty()) fail("--sizes: expected a list such as 4,8,12,16");
  std::sort(sizes.begin(), sizes.end());
  return sizes;
}

}  // namespace

int run_imprint(const Params& params) {
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  hmax::ImprintOptions options;
  options.sizes = parse_sizes(params.sizes);
  options.per_size = params.per_size;
  options.seed = params.seed;
  auto paths = training::collect_image_paths(params.inputs, params.images_dir);
  AtomicOutput check_writable(params.out);

  hmax::HmaxClassic model;
  std::vector<std::vector<torch::Tensor>> c1_per_image;
  Progress progress("imprint: C1", static_cast<std::int64_t>(paths.size()), "images");
  for (std::size_t i = 0; i < paths.size(); ++i) {
    auto image = training::load_image_tensor(paths[i], 1, params.size);
    auto bands = model->c1(image.unsqueeze(0));
    for (auto& band : bands) band = band.squeeze(0);
    c1_per_image.push_back(std::move(bands));
    progress.update(static_cast<std::int64_t>(i + 1));
  }
  auto result = hmax::imprint_prototypes(c1_per_image, options);
  hmax::save_prototypes(params.out, result.prototypes, result.provenance);
  fmt::print("wrote {} ({} prototypes per size, sizes {}, seed {}, from {} images)\n", params.out,
             options.per_size, params.sizes, options.seed, paths.size());
  return 0;
}

}  // namespace ventral::cli
