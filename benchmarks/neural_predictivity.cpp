#include "benchmarks/neural_predictivity.h"

#include <fmt/format.h>

#include <unordered_map>

#include "common/error.h"
#include "neural_fit/feature_design.h"
#include "neural_fit/neural_h5.h"
#include "training/data/dataset.h"

namespace ventral::benchmarks {

namespace nf = ventral::neural_fit;

NeuralPlsBenchmark::NeuralPlsBenchmark(BenchmarkArgs& args)
    : neural_(
          args.required("neural", "the recordings: ventral's neural HDF5 or a BrainIO NetCDF assembly")),
      data_(args.required("data", "the stimuli as a dataset spec; their ids are <split>-<index>")),
      split_(args.get("split", "")),
      layer_(args.required("layer", "the model layer whose features are fitted, e.g. c2")),
      region_(args.get("region", "")),
      time_bin_(args.get("time_bin", "")) {
  count_ = static_cast<std::size_t>(args.get_int("count", 0, 0));
  options_.metric = {"pls", "pearson", "median"};
  options_.regression.pls.n_components = static_cast<int>(args.get_int("components", 25, 1));
  const auto seed = static_cast<std::uint64_t>(args.get_int("seed", 0, 0));
  options_.splits = {static_cast<int>(args.get_int("splits", 10, 2)), 0.9, seed};
  options_.ceiling.seed = seed;
}

void NeuralPlsBenchmark::check(const ScoringContext& context) const {
  context.trained->model->resolve_layers({layer_});  // an unknown layer lists the valid ones
}

BenchmarkResult NeuralPlsBenchmark::run(ScoringContext& context) {
  const std::string split = split_.empty() ? data::default_eval_split(data_) : split_;
  auto& model = *context.trained->model;
  // Features once per (stimuli, layer) for every benchmark of the run.
  const std::string key = fmt::format("{}|{}|{}|{}", data_, split, count_, layer_);
  if (!context.features.count(key)) {
    auto dataset = data::open_dataset(data_, split, {});
    training::FeatureExtractionOptions extraction;
    extraction.layers = {layer_};
    extraction.batch_size = context.batch_size;
    extraction.device = context.device;
    extraction.transform = context.trained->eval_transform;
    context.features[key] = training::dataset_features(model, *dataset, split, data_, count_,
                                                       extraction);
  }
  const auto& features = context.features.at(key);

  auto target = nf::prepare_target(nf::read_neural_file(neural_, region_, time_bin_), options_);
  std::unordered_map<std::string, nf::Index> row_of;
  for (std::size_t i = 0; i < features.stimulus_ids.size(); ++i)
    row_of[features.stimulus_ids[i]] = static_cast<nf::Index>(i);
  nf::Rows rows;
  for (const auto& id : target.data.stimulus_ids) {
    const auto found = row_of.find(id);
    if (found == row_of.end()) {
      fail("{}: stimulus '{}' is not among the {} images of {} ({}; ids <split>-<index>, count={})",
           neural_, id, features.stimulus_ids.size(), data_, split, count_);
    }
    rows.push_back(found->second);
  }
  if (features.layers.size() != 1)
    fail("benchmark neural-pls: layer={} names {} layers; give one leaf layer", layer_,
         features.layers.size());
  BenchmarkResult r;
  std::vector<std::string> warnings;
  {
    const auto& values = features.values.at(features.layers.front());
    const auto flat = values.reshape({values.size(0), -1});
    const nf::Index p = flat.size(1);
    nf::FeatureMatrix x(static_cast<nf::Index>(rows.size()), p);
    const float* data = flat.data_ptr<float>();
    for (std::size_t i = 0; i < rows.size(); ++i)
      std::copy_n(data + rows[i] * p, p, x.data() + static_cast<nf::Index>(i) * p);
    const nf::FeatureDesign design(std::move(x));
    const auto score = nf::cross_validated_score(design, target, options_, &warnings);
    r.raw = score.raw;
    r.ceiling = score.ceiling;
    r.ceiled = {{"ratio", score.ceiled.ratio},
                {"ev2019", score.ceiled.ev2019},
                {"ev2026", score.ceiled.ev2026}};
    r.extra = {{"sem", score.sem},
               {"neuroids", static_cast<double>(score.neuroids_used)},
               {"stimuli", static_cast<double>(rows.size())},
               {"features", static_cast<double>(p)}};
  }
  r.settings["split"] = split;
  for (const auto& w : warnings) fmt::print(stderr, "warning: neural-pls: {}\n", w);
  r.summary = fmt::format(
      "{} raw {:.4f} (sem {:.4f}), ceiling {:.4f}, ceiled r^2/c {:.4f}, {} neuroids x {} stimuli",
      layer_, r.raw, r.extra["sem"], r.ceiling, r.ceiled["ev2026"], r.extra["neuroids"], rows.size());
  return r;
}

}  // namespace ventral::benchmarks
