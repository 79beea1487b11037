// `ventral data pack`: one split of a dataset written as a single HDF5 file (images,
// labels, classes) that `h5:FILE` reads back; see training/data/dataset_pack.h. The
// released ClickMe TFRecord shards (clickme:DIR) become ventral's ClickMe HDF5 instead
// (alignment/clickme_tfrecords.h).
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include "alignment/clickme_tfrecords.h"
#include "apps/commands.h"
#include "common/error.h"
#include "training/data/dataset.h"
#include "training/data/dataset_pack.h"

namespace ventral::cli {

int run_data_pack(const Params& params) {
  if (params.data.empty()) {
    fail(
        "data pack: expected a dataset SPEC (imagefolder:ROOT, imagenet:ROOT, idx:DIR, h5:FILE, "
        "clickme:SHARDS)");
  }
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  const auto spec = data::parse_dataset_spec(params.data);
  if (spec.kind == "clickme" && alignment::is_tfrecord_source(spec.path)) {
    const auto summary = alignment::pack_clickme_tfrecords(spec.path, params.out);
    fmt::print("wrote {}: {} ClickMe records of {}x{} from {} shard(s), {:.0f} records/s\n", params.out,
               summary.records, summary.width, summary.height, summary.shards,
               summary.records / std::max(summary.seconds, 1e-9));
    return 0;
  }
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
