// `ventral eval`: a trained checkpoint's top-1 / top-5 / loss on a dataset split,
// printed and written as JSON ({"top1", "top5", "loss", "n", ...}).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "training/data/dataset.h"
#include "training/data/loader.h"
#include "training/evaluate.h"
#include "training/trained_model.h"

namespace ventral::cli {

int run_eval(const Params& params) {
  if (params.checkpoint.empty()) fail("--checkpoint: required, e.g. --checkpoint RUN/best.pt");
  if (params.data.empty()) fail("--data: required, the dataset spec to evaluate on");
  const auto device = training::parse_device(params.device);
  auto trained = training::load_trained_model(params.checkpoint, device);
  const auto split = params.split.empty() ? data::default_eval_split(params.data) : params.split;
  auto dataset = data::open_dataset(params.data, split, {params.class_map});
  if (dataset->size() == 0) fail("{}: split '{}' is empty", params.data, split);
  const auto classes = trained.model->resolved_options().count("num_classes")
                           ? std::stoll(trained.model->resolved_options().at("num_classes"))
                           : 0;
  if (classes != static_cast<long long>(dataset->classes().size())) {
    fail("{}: split '{}' has {} classes, the model {} was trained on {}", params.data, split,
         dataset->classes().size(), params.checkpoint, classes);
  }
  data::LoaderOptions loader_options;
  loader_options.batch_size = params.batch_size;
  loader_options.workers = params.workers;
  loader_options.skip_corrupt = false;  // evaluation never hides a broken file
  loader_options.transform = trained.eval_transform;
  data::Loader loader(dataset, loader_options);
  const auto result = training::evaluate(*trained.model, loader, device, "eval");
  nlohmann::ordered_json json = {{"top1", result.top1},
                                 {"top5", result.top5},
                                 {"loss", result.loss},
                                 {"n", result.n},
                                 {"checkpoint", params.checkpoint},
                                 {"arch", trained.checkpoint.arch},
                                 {"data", params.data},
                                 {"split", split}};
  if (!params.out.empty()) write_text_file(params.out, json.dump(2) + "\n");
  fmt::print("{}\n", json.dump());
  return 0;
}

}  // namespace ventral::cli
