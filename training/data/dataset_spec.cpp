#include <fmt/core.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "training/data/dataset.h"
#include "training/data/h5_dataset.h"
#include "training/data/idx_dataset.h"
#include "training/data/image_folder_dataset.h"
#include "training/data/pathfinder_dataset.h"

namespace ventral::data {

DatasetSpec parse_dataset_spec(const std::string& spec) {
  auto colon = spec.find(':');
  const char* expected =
      "expected KIND:PATH with KIND one of imagefolder, imagenet, idx, h5, pathfinder";
  if (colon == std::string::npos) fail("dataset '{}': {}", spec, expected);
  DatasetSpec parsed{spec.substr(0, colon), spec.substr(colon + 1)};
  if (parsed.kind == "imagenet") parsed.kind = "imagefolder";
  if (parsed.kind != "imagefolder" && parsed.kind != "idx" && parsed.kind != "h5" &&
      parsed.kind != "pathfinder") {
    fail("dataset '{}': unknown kind '{}', {}", spec, spec.substr(0, colon), expected);
  }
  if (parsed.path.empty()) fail("dataset '{}': empty path, {}", spec, expected);
  return parsed;
}

std::shared_ptr<const Dataset> open_dataset(const std::string& spec, const std::string& split,
                                            const DatasetOptions& options) {
  auto parsed = parse_dataset_spec(spec);
  if (split.empty()) fail("dataset '{}': empty split name", spec);
  if (parsed.kind != "imagefolder" && !options.class_map.empty()) {
    fail("--class-map {}: only imagefolder datasets take a class map, got '{}'",
         options.class_map, spec);
  }
  if (parsed.kind == "imagefolder") {
    return std::make_shared<ImageFolderDataset>(parsed.path, split, options.class_map);
  }
  if (parsed.kind == "idx") return std::make_shared<IdxDataset>(parsed.path, split);
  // pathfinder:?settings generates the split in memory; pathfinder:FILE reads a generated file.
  if (parsed.kind == "pathfinder" && parsed.path[0] == '?') {
    auto settings = parse_pathfinder_spec(spec, parsed.path);
    std::uint64_t seed = pathfinder_split_seed(settings.seed, split, spec);
    int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
    return std::make_shared<PathfinderDataset>(settings, seed, spec + ":" + split, threads);
  }
  return std::make_shared<H5Dataset>(parsed.path, split);
}

std::string default_eval_split(const std::string& spec) {
  return parse_dataset_spec(spec).kind == "idx" ? "t10k" : "val";
}

}  // namespace ventral::data
