#include <fmt/core.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <thread>

#include "common/error.h"
#include "training/data/clickme_dataset.h"
#include "training/data/dataset.h"
#include "training/data/h5_dataset.h"
#include "training/data/idx_dataset.h"
#include "training/data/image_folder_dataset.h"
#include "training/data/pathfinder_dataset.h"

namespace ventral::data {

namespace {

std::shared_ptr<const Dataset> open_pathfinder(const DatasetSpec& parsed, const std::string& spec,
                                               const std::string& split, const DatasetOptions&) {
  // pathfinder:?settings generates the split in memory; pathfinder:FILE reads a generated file.
  if (parsed.path[0] != '?') return std::make_shared<H5Dataset>(parsed.path, split);
  auto settings = parse_pathfinder_spec(spec, parsed.path);
  std::uint64_t seed = pathfinder_split_seed(settings.seed, split, spec);
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  return std::make_shared<PathfinderDataset>(settings, seed, spec + ":" + split, threads);
}

std::vector<DatasetKind> build_kinds() {
  return {
      {"imagefolder",
       {"imagenet"},
       "imagefolder:ROOT (alias imagenet:)",
       "val",
       [](const DatasetSpec& d, const std::string&, const std::string& split, const DatasetOptions& o) {
         return std::make_shared<ImageFolderDataset>(d.path, split, o.class_map);
       }},
      {"idx",
       {},
       "idx:DIR",
       "t10k",
       [](const DatasetSpec& d, const std::string&, const std::string& split, const DatasetOptions&) {
         return std::make_shared<IdxDataset>(d.path, split);
       }},
      {"h5",
       {},
       "h5:PATH",
       "val",
       [](const DatasetSpec& d, const std::string&, const std::string& split, const DatasetOptions&) {
         return std::make_shared<H5Dataset>(d.path, split);
       }},
      {"clickme",
       {},
       "clickme:PATH (ventral's ClickMe HDF5, or the released TFRecord shards)",
       "val",
       [](const DatasetSpec& d, const std::string&, const std::string& split,
          const DatasetOptions&) -> std::shared_ptr<const Dataset> {
         if (!clickme_shard_source(d.path, split).empty())
           return std::make_shared<ClickMeShardDataset>(d.path, split);
         return std::make_shared<ClickMeDataset>(d.path, split);
       }},
      {"pathfinder",
       {},
       "pathfinder:?length=14&size=64&count=N&seed=S (generated) or pathfinder:FILE",
       "val",
       open_pathfinder},
  };
}

const DatasetKind* find_kind(const std::string& name) {
  for (const auto& kind : dataset_kinds()) {
    if (kind.name == name ||
        std::find(kind.aliases.begin(), kind.aliases.end(), name) != kind.aliases.end()) {
      return &kind;
    }
  }
  return nullptr;
}

}  // namespace

const std::vector<DatasetKind>& dataset_kinds() {
  static const std::vector<DatasetKind> kinds = build_kinds();
  return kinds;
}

std::string dataset_kinds_usage() {
  std::vector<std::string> parts;
  for (const auto& kind : dataset_kinds()) parts.push_back(kind.usage);
  return fmt::format("{}", fmt::join(parts, ", "));
}

DatasetSpec parse_dataset_spec(const std::string& spec) {
  std::vector<std::string> names;
  for (const auto& kind : dataset_kinds()) {
    names.push_back(kind.name);
    names.insert(names.end(), kind.aliases.begin(), kind.aliases.end());
  }
  const auto expected = fmt::format("expected KIND:PATH with KIND one of {}", fmt::join(names, ", "));
  auto colon = spec.find(':');
  if (colon == std::string::npos) fail("dataset '{}': {}", spec, expected);
  DatasetSpec parsed{spec.substr(0, colon), spec.substr(colon + 1)};
  const auto* kind = find_kind(parsed.kind);
  if (kind == nullptr) fail("dataset '{}': unknown kind '{}', {}", spec, parsed.kind, expected);
  parsed.kind = kind->name;
  if (parsed.path.empty()) fail("dataset '{}': empty path, {}", spec, expected);
  return parsed;
}

Image Dataset::human_map(std::size_t i) const {
  fail("{}: the dataset has no human importance maps (a clickme: dataset has)", source(i));
}

std::shared_ptr<const Dataset> open_dataset(const std::string& spec, const std::string& split,
                                            const DatasetOptions& options) {
  auto parsed = parse_dataset_spec(spec);
  if (split.empty()) fail("dataset '{}': empty split name", spec);
  if (parsed.kind != "imagefolder" && !options.class_map.empty()) {
    fail("--class-map {}: only imagefolder datasets take a class map, got '{}'", options.class_map,
         spec);
  }
  return find_kind(parsed.kind)->open(parsed, spec, split, options);
}

std::string default_eval_split(const std::string& spec) {
  return find_kind(parse_dataset_spec(spec).kind)->eval_split;
}

}  // namespace ventral::data
