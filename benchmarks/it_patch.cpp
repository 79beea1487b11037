#include "benchmarks/it_patch.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "benchmarks/stimulus_features.h"
#include "common/error.h"
#include "neural_fit/patch_data.h"
#include "training/data/dataset.h"

namespace ventral::benchmarks {

namespace nf = ventral::neural_fit;

ItPatchBenchmark::ItPatchBenchmark(BenchmarkArgs& args)
    : patch_(args.required("patch",
                           "the IT-patch recordings: HDF5 responses images x g x g x sites [x reps]")),
      data_(args.required("data", "the stimuli as a dataset spec; their ids are <split>-<index>")),
      split_(args.get("split", "")),
      layers_(split_bar_list(args.required("layers",
                                           "A|B|C: maps chosen among by nested leave-one-image-out"),
                             "it-patch")) {
  count_ = static_cast<std::size_t>(args.get_int("count", 0, 0));
  options_.pls.n_components = static_cast<int>(args.get_int("components", 25, 1));
  options_.ceiling.seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0));
}

void ItPatchBenchmark::check(const ScoringContext& context) const {
  const auto leaves = context.trained->model->resolve_layers(
      layers_);  // unknown names list the valid ones
  if (leaves.size() != layers_.size())
    fail("benchmark it-patch: {} names {} layers; give leaf layers", fmt::join(layers_, "|"),
         leaves.size());
}

BenchmarkResult ItPatchBenchmark::run(ScoringContext& context) {
  const StimulusSource source{data_, split_.empty() ? data::default_eval_split(data_) : split_, count_};
  const auto& features = stimulus_features(context, source, layers_);
  const auto recordings = nf::read_patch_data(patch_);
  std::vector<std::vector<nf::Matrix>> grids;
  for (const auto& layer : features.layers) {
    const auto& values = features.values.at(layer);
    if (values.dim() != 4 && values.dim() != 3)
      fail("benchmark it-patch: layer '{}' is not a map (C x H x W); the patch protocol needs maps",
           layer);
    const nf::Index c = values.dim() == 4 ? values.size(1) : 1;
    grids.push_back(
        nf::maps_on_grid(features_for(features, layer, recordings.stimulus_ids, source, patch_), c,
                         values.size(-2), values.size(-1), recordings));
  }
  const auto result = nf::run_patch_protocol(grids, features.layers, recordings, options_);
  for (const auto& w : result.warnings) fmt::print(stderr, "warning: it-patch: {}\n", w);
  BenchmarkResult r;
  r.raw = result.score.raw;
  r.ceiling = result.published_ceiling;
  r.ceiled["ratio"] = result.ceiled_published;
  r.extra["sem"] = result.score.sem;
  r.extra["images"] = static_cast<double>(recordings.stimulus_ids.size());
  r.extra["sites"] = static_cast<double>(recordings.sites);
  if (result.split_half.available) {
    r.extra["split_half_ceiling"] = result.split_half.value;
    r.ceiled["split_half_ev2026"] = result.score.ceiled.ev2026;
  }
  for (const auto& layer : features.layers) r.extra["chosen/" + layer] = 0;
  for (const auto& layer : result.chosen_layer) r.extra["chosen/" + layer] += 1;
  r.settings["split"] = source.split;
  r.summary = fmt::format(
      "raw {:.4f} (sem {:.4f}), best inter-site ceiling {:.4f}, ceiled {:.4f}, {} images x {} sites",
      r.raw, r.extra["sem"], r.ceiling, r.ceiled["ratio"], recordings.stimulus_ids.size(),
      recordings.sites);
  return r;
}

}  // namespace ventral::benchmarks
