#include "neural_fit/feature_file.h"

#include <fmt/format.h>

#include <algorithm>
#include <unordered_map>

#include "common/error.h"

namespace ventral::neural_fit {

FeatureFile::FeatureFile(const std::string& path) : path_(path), file_(h5::File::open_read(path)) {
  if (!file_.is_dataset("stimulus_id")) fail("{}: no 'stimulus_id' dataset (not a feature file?)", path);
  stimulus_ids_ = file_.read_strings("stimulus_id");
  std::unordered_map<std::string, int> seen;
  for (const auto& id : stimulus_ids_) {
    if (++seen[id] > 1) fail("{}: duplicate stimulus_id '{}'", path, id);
  }
  for (const auto& name : file_.list_datasets("/")) {
    if (name == "stimulus_id" || file_.is_string(name)) continue;
    auto shape = file_.shape(name);
    if (!shape.empty() && shape[0] == stimulus_ids_.size()) layers_.push_back(name);
  }
  if (layers_.empty())
    fail("{}: no layer with one row per stimulus ({} stimuli)", path, stimulus_ids_.size());
}

void FeatureFile::check_layer(const std::string& layer) const {
  if (std::find(layers_.begin(), layers_.end(), layer) == layers_.end()) {
    fail("{}: no layer '{}'; layers: {}", path_, layer, fmt::join(layers_, ", "));
  }
}

h5::Shape FeatureFile::layer_shape(const std::string& layer) const {
  check_layer(layer);
  auto shape = file_.shape(layer);
  return h5::Shape(shape.begin() + 1, shape.end());
}

Rows FeatureFile::rows_for(const std::vector<std::string>& ids) const {
  std::unordered_map<std::string, Index> index;
  for (std::size_t i = 0; i < stimulus_ids_.size(); ++i) index[stimulus_ids_[i]] = static_cast<Index>(i);
  Rows rows;
  std::vector<std::string> missing;
  for (const auto& id : ids) {
    auto it = index.find(id);
    if (it == index.end()) {
      missing.push_back(id);
    } else {
      rows.push_back(it->second);
    }
  }
  if (!missing.empty()) {
    std::vector<std::string> shown(missing.begin(),
                                   missing.begin() + std::min<std::size_t>(5, missing.size()));
    fail("{}: {} of {} neural stimulus ids missing from the features (e.g. {})", path_, missing.size(),
         ids.size(), fmt::join(shown, ", "));
  }
  return rows;
}

FeatureMatrix FeatureFile::read_rows(const std::string& layer, const Rows& rows) const {
  check_layer(layer);
  const Index width = static_cast<Index>(h5::element_count(layer_shape(layer)));
  FeatureMatrix out(static_cast<Index>(rows.size()), width);
  // Sort the wanted rows so each file chunk is read once.
  Rows order(rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) order[i] = static_cast<Index>(i);
  std::sort(order.begin(), order.end(), [&](Index a, Index b) { return rows[a] < rows[b]; });
  constexpr Index kChunk = 64;
  std::size_t k = 0;
  while (k < order.size()) {
    const Index begin = rows[order[k]];
    const Index end = std::min<Index>(begin + kChunk, static_cast<Index>(stimulus_ids_.size()));
    auto chunk = file_.read_float_rows(layer, static_cast<std::size_t>(begin),
                                       static_cast<std::size_t>(end));
    for (; k < order.size() && rows[order[k]] < end; ++k) {
      const float* src = chunk.data() + (rows[order[k]] - begin) * width;
      std::copy(src, src + width, out.row(order[k]).data());
    }
  }
  return out;
}

}  // namespace ventral::neural_fit
