// `ventral eval`: a trained checkpoint's top-1 / top-5 / loss on a dataset split,
// printed and written as JSON ({"top1", "top5", "loss", "n", ...}).
#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "apps/commands.h"
#include "common/atomic_output.h"
#include "common/error.h"
#include "training/evaluate.h"
#include "training/trained_model.h"

namespace ventral::cli {

int run_eval(const Params& params) {
  if (params.checkpoint.empty()) fail("--checkpoint: required, e.g. --checkpoint RUN/best.pt");
  if (params.data.empty()) fail("--data: required, the dataset spec to evaluate on");
  const auto device = training::parse_device(params.device);
  auto trained = training::load_trained_model(params.checkpoint, device);
  training::SplitEvalOptions options;
  options.split = params.split;
  options.class_map = params.class_map;
  options.batch_size = params.batch_size;
  options.workers = params.workers;
  options.progress_label = "eval";
  const auto [result, split] = training::evaluate_split(trained, params.data, options, device);
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
