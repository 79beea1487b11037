// `ventral features`: named layers of a model for a set of images, written as HDF5
// (training/feature_extraction.h does the work).
#include <fmt/core.h>
#include <fmt/ranges.h>

#include "apps/commands.h"
#include "apps/model_setup.h"
#include "common/error.h"
#include "common/text_list.h"
#include "training/data/dataset.h"
#include "training/feature_extraction.h"
#include "training/image_files.h"
#include "training/trained_model.h"

namespace ventral::cli {

int run_features(const Params& params) {
  if (params.out.empty()) fail("--out: required, expected the output .h5 path");
  if (params.layers.empty()) fail("--layers: required, e.g. --layers c1,c2");
  training::FeatureExtractionOptions options;
  options.layers = split_list(params.layers);
  options.size = params.size;
  options.batch_size = params.batch_size;
  std::shared_ptr<models::VisionModelImpl> model;
  if (!params.checkpoint.empty()) {
    if (!params.model_opts.empty())
      fail("--model-opt: a checkpoint carries its model options; drop --model-opt");
    options.device = training::parse_device(params.device);
    auto trained = training::load_trained_model(params.checkpoint, options.device);
    model = trained.model;
    options.transform = trained.eval_transform;
    if (params.size > 0) options.transform->img_size = params.size;
    options.attributes["model"] = trained.checkpoint.arch;
    options.attributes["checkpoint"] = params.checkpoint;
  } else {
    model = build_model(params);
    options.attributes["model"] = params.model;
  }
  if (!params.patches.empty()) options.attributes["patches"] = params.patches;
  // Names are checked before any image is read.
  model->resolve_layers(options.layers);
  training::FeatureExtractionResult result;
  if (!params.data.empty()) {
    if (!params.inputs.empty() || !params.images_dir.empty())
      fail("--data: give either --data or image files/--images, not both");
    const std::string split = params.split.empty() ? data::default_eval_split(params.data)
                                                   : params.split;
    auto dataset = data::open_dataset(params.data, split, {params.class_map});
    result = training::extract_dataset_features(*model, *dataset, split,
                                                data::parse_dataset_spec(params.data).path,
                                                static_cast<std::size_t>(params.count), options,
                                                params.out);
  } else {
    const auto paths = training::collect_image_paths(params.inputs, params.images_dir);
    result = training::extract_features(*model, paths, options, params.out);
  }
  fmt::print("wrote {} ({} images; layers {})\n", params.out, result.stimulus_ids.size(),
             fmt::join(result.layers, ", "));
  return 0;
}

}  // namespace ventral::cli
