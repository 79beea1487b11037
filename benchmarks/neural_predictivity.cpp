#include "benchmarks/neural_predictivity.h"

#include "benchmarks/stimulus_features.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "common/error.h"
#include "neural_fit/feature_design.h"
#include "neural_fit/layer_selection.h"
#include "neural_fit/neural_h5.h"
#include "training/data/dataset.h"

namespace ventral::benchmarks {

namespace nf = ventral::neural_fit;

NeuralPlsBenchmark::NeuralPlsBenchmark(BenchmarkArgs& args)
    : neural_(
          args.required("neural", "the recordings: ventral's neural HDF5 or a BrainIO NetCDF assembly")),
      data_(args.required("data", "the stimuli as a dataset spec; their ids are <split>-<index>")),
      split_(args.get("split", "")),
      region_(args.get("region", "")),
      time_bin_(args.get("time_bin", "")) {
  const std::string layer = args.get("layer", ""), layers = args.get("layers", "");
  if (layer.empty() == layers.empty())
    fail(
        "benchmark neural-pls: give layer=NAME (a fixed layer) or layers=A|B|C (chosen by nested cross-validation)");
  if (!layer.empty()) {
    layers_ = {layer};
  } else {
    layers_ = split_bar_list(layers, "neural-pls");
    if (layers_.size() < 2)
      fail("benchmark neural-pls: layers={} names one layer; use layer={}", layers, layers);
  }
  inner_splits_ = static_cast<int>(args.get_int("inner_splits", 5, 2));
  count_ = static_cast<std::size_t>(args.get_int("count", 0, 0));
  options_.metric = {"pls", "pearson", "median"};
  options_.regression.pls.n_components = static_cast<int>(args.get_int("components", 25, 1));
  const auto seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0));
  options_.splits = {static_cast<int>(args.get_int("splits", 10, 2)), 0.9, seed};
  options_.ceiling.seed = seed;
}

void NeuralPlsBenchmark::check(const ScoringContext& context) const {
  const auto leaves = context.trained->model->resolve_layers(
      layers_);  // unknown names list the valid ones
  if (leaves.size() != layers_.size()) {
    fail("benchmark neural-pls: {} names {} layers; give leaf layers (e.g. c1/0, not c1)",
         fmt::join(layers_, "|"), leaves.size());
  }
}

BenchmarkResult NeuralPlsBenchmark::run(ScoringContext& context) {
  const std::string split = split_.empty() ? data::default_eval_split(data_) : split_;
  const StimulusSource source{data_, split, count_};
  const auto& features = stimulus_features(context, source, layers_);
  auto target = nf::prepare_target(nf::read_neural_file(neural_, region_, time_bin_), options_);
  // One design per layer, rows in the recordings' stimulus order.
  std::vector<nf::FeatureDesign> designs;
  for (const auto& layer : features.layers)
    designs.emplace_back(features_for(features, layer, target.data.stimulus_ids, source, neural_));
  const std::size_t stimuli = target.data.stimulus_ids.size();
  BenchmarkResult r;
  std::vector<std::string> warnings;
  nf::Score score;
  if (designs.size() == 1) {
    score = nf::cross_validated_score(designs.front(), target, options_, &warnings);
    r.extra["features"] = static_cast<double>(designs.front().width());
  } else {
    std::vector<std::pair<std::string, const nf::FeatureDesign*>> candidates;
    for (std::size_t k = 0; k < designs.size(); ++k)
      candidates.emplace_back(features.layers[k], &designs[k]);
    const auto nested = nf::nested_layer_score(candidates, target, options_, inner_splits_, &warnings);
    score = nested.score;
    for (const auto& layer : features.layers) r.extra["chosen/" + layer] = 0;
    for (const auto& layer : nested.chosen) r.extra["chosen/" + layer] += 1;
  }
  r.raw = score.raw;
  r.ceiling = score.ceiling;
  r.ceiled = {{"ratio", score.ceiled.ratio},
              {"ev2019", score.ceiled.ev2019},
              {"ev2026", score.ceiled.ev2026}};
  r.extra["sem"] = score.sem;
  r.extra["neuroids"] = static_cast<double>(score.neuroids_used);
  r.extra["stimuli"] = static_cast<double>(stimuli);
  r.settings["split"] = split;
  for (const auto& w : warnings) fmt::print(stderr, "warning: neural-pls: {}\n", w);
  std::string chosen;  // nested selection: how often each layer won an outer split
  for (const auto& [name, n] : r.extra) {
    if (name.rfind("chosen/", 0) == 0 && n > 0)
      chosen += fmt::format("{}{} x{}", chosen.empty() ? " (chosen: " : ", ", name.substr(7), n);
  }
  if (!chosen.empty()) chosen += ")";
  r.summary = fmt::format(
      "{}{} raw {:.4f} (sem {:.4f}), ceiling {:.4f}, ceiled r^2/c {:.4f}, {} neuroids x {} stimuli",
      fmt::join(layers_, "|"), chosen, r.raw, r.extra["sem"], r.ceiling, r.ceiled["ev2026"],
      r.extra["neuroids"], stimuli);
  return r;
}

}  // namespace ventral::benchmarks
