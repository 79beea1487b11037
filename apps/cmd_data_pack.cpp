// `ventral data pack`: one split of a dataset written as a single HDF5 file (images,
// labels, classes) that `h5:FILE` reads back; see training/data/dataset_pack.h.
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include "apps/commands.h"
#include "common/error.h"
#include "training/data/dataset.h"
#include "training/data/dataset_pack.h"

namespace ventral::cli {

int run_data_pack(const Params& params) {
  if (params.data.empty()) {
    fail("data pack: expected a dataset SPEC (imagefolder:ROOT, imagenet:ROOT, idx:DIR, h5:FILE)");
  }
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  data::DatasetOptions dataset_options;
  dataset_options.class_map = params.class_map;
  auto dataset = data::open_dataset(params.data, params.split, dataset_options);

  data::PackOptions options;
  options.size = params.size;
  options.threads = params.threads > 0 ? params.threads : at::get_num_threads();
  options.source = params.data;
  options.split = params.split;
  auto summary = data::pack_dataset(*dataset, params.out, options);
  fmt::print("wrote {}: {} images of {}x{}x{} (H x W x C), {} classes, split {}\n", params.out,
             summary.images, summary.height, summary.width, summary.channels, dataset->classes().size(),
             params.split);
  return 0;
}

}  // namespace ventral::cli
