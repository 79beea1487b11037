#include "benchmarks/stimulus_features.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <unordered_map>

#include "common/error.h"
#include "training/data/dataset.h"

namespace ventral::benchmarks {

const training::FeatureSet& stimulus_features(ScoringContext& context, const StimulusSource& source,
                                              const std::vector<std::string>& layers) {
  const std::string key = fmt::format("{}|{}|{}|{}", source.data, source.split, source.count,
                                      fmt::join(layers, "|"));
  if (!context.features.count(key)) {
    auto& model = *context.trained->model;
    auto dataset = data::open_dataset(source.data, source.split, {});
    training::FeatureExtractionOptions extraction;
    extraction.layers = layers;
    extraction.batch_size = context.batch_size;
    extraction.device = context.device;
    extraction.transform = context.trained->eval_transform;
    auto set = training::dataset_features(model, *dataset, source.split, source.data, source.count,
                                          extraction);
    if (set.layers.size() != layers.size())
      fail("{} names {} layers; give leaf layers (e.g. c1/0, not c1)", fmt::join(layers, "|"),
           set.layers.size());
    context.features[key] = std::move(set);
  }
  return context.features.at(key);
}

neural_fit::FeatureMatrix features_for(const training::FeatureSet& features, const std::string& layer,
                                       const std::vector<std::string>& ids, const StimulusSource& source,
                                       const std::string& recordings) {
  std::unordered_map<std::string, neural_fit::Index> row_of;
  for (std::size_t i = 0; i < features.stimulus_ids.size(); ++i)
    row_of[features.stimulus_ids[i]] = static_cast<neural_fit::Index>(i);
  const auto flat = features.values.at(layer).reshape({features.values.at(layer).size(0), -1});
  const neural_fit::Index p = flat.size(1);
  neural_fit::FeatureMatrix x(static_cast<neural_fit::Index>(ids.size()), p);
  const float* data = flat.data_ptr<float>();
  for (std::size_t i = 0; i < ids.size(); ++i) {
    const auto found = row_of.find(ids[i]);
    if (found == row_of.end()) {
      fail("{}: stimulus '{}' is not among the {} images of {} ({}; ids <split>-<index>, count={})",
           recordings, ids[i], features.stimulus_ids.size(), source.data, source.split, source.count);
    }
    std::copy_n(data + found->second * p, p, x.data() + static_cast<neural_fit::Index>(i) * p);
  }
  return x;
}

std::vector<std::string> split_bar_list(const std::string& text, const std::string& benchmark) {
  std::vector<std::string> names;
  for (std::size_t begin = 0;;) {
    const auto bar = text.find('|', begin);
    const auto name = text.substr(begin, bar == std::string::npos ? std::string::npos : bar - begin);
    if (name.empty()) fail("benchmark {}: '{}' has an empty name (A|B|C)", benchmark, text);
    names.push_back(name);
    if (bar == std::string::npos) break;
    begin = bar + 1;
  }
  return names;
}

}  // namespace ventral::benchmarks
