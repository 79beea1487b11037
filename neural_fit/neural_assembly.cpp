#include "neural_fit/neural_assembly.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <unordered_map>

#include "common/error.h"

namespace ventral::neural_fit {
namespace {

std::string few(const std::vector<std::string>& names) {
  std::vector<std::string> shown(names.begin(), names.begin() + std::min<std::size_t>(5, names.size()));
  return fmt::format("{}{}", fmt::join(shown, ", "), names.size() > 5 ? ", ..." : "");
}

void check_shapes(const NeuralAssembly& a) {
  const auto p = static_cast<std::size_t>(a.responses.rows());
  if (a.stimulus_id.size() != p) {
    fail("{}: {} stimulus ids for {} presentations", a.source, a.stimulus_id.size(), p);
  }
  if (!a.repetition.empty() && a.repetition.size() != p) {
    fail("{}: {} repetition values for {} presentations", a.source, a.repetition.size(), p);
  }
  if (a.neuroid_id.size() != static_cast<std::size_t>(a.responses.cols())) {
    fail("{}: {} neuroid ids for {} neuroids", a.source, a.neuroid_id.size(), a.responses.cols());
  }
  if (p == 0 || a.responses.cols() == 0) fail("{}: no responses", a.source);
}

// Keeps the columns in `keep` of the assembly-level neuroid data.
void keep_neuroids(NeuralData& d, Trials& t, const std::vector<Index>& keep) {
  Matrix r(d.responses.rows(), static_cast<Index>(keep.size()));
  Matrix tr(t.responses.rows(), static_cast<Index>(keep.size()));
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < keep.size(); ++k) {
    r.col(static_cast<Index>(k)) = d.responses.col(keep[k]);
    tr.col(static_cast<Index>(k)) = t.responses.col(keep[k]);
    ids.push_back(d.neuroid_ids[static_cast<std::size_t>(keep[k])]);
  }
  d.responses = std::move(r);
  t.responses = std::move(tr);
  d.neuroid_ids = std::move(ids);
}

void exclude_bad_neuroids(NeuralData& d, const std::string& source) {
  std::vector<Index> keep;
  std::vector<std::string> nonfinite, constant;
  for (Index j = 0; j < d.trials.responses.cols(); ++j) {
    const auto& id = d.neuroid_ids[static_cast<std::size_t>(j)];
    if (!d.trials.responses.col(j).allFinite()) {
      nonfinite.push_back(id);
    } else if (d.responses.col(j).maxCoeff() == d.responses.col(j).minCoeff()) {
      constant.push_back(id);
    } else {
      keep.push_back(j);
    }
  }
  d.excluded_nonfinite = static_cast<Index>(nonfinite.size());
  d.excluded_constant = static_cast<Index>(constant.size());
  if (!nonfinite.empty()) {
    d.warnings.push_back(fmt::format("{}: {} neuroids with NaN or inf responses excluded ({})", source,
                                     nonfinite.size(), few(nonfinite)));
  }
  if (!constant.empty()) {
    d.warnings.push_back(
        fmt::format("{}: {} constant neuroids excluded ({})", source, constant.size(), few(constant)));
  }
  if (keep.empty()) {
    fail("{}: no usable neuroid ({} with NaN/inf responses, {} constant)", source, nonfinite.size(),
         constant.size());
  }
  keep_neuroids(d, d.trials, keep);
}

}  // namespace

void select_region(NeuralAssembly& a, const std::string& region) {
  if (region.empty()) return;
  auto it = a.neuroid_coords.find("region");
  if (it == a.neuroid_coords.end())
    fail("{}: --region {}: the data have no 'region' coordinate", a.source, region);
  std::vector<Index> keep;
  std::vector<std::string> known;
  for (std::size_t j = 0; j < it->second.size(); ++j) {
    if (it->second[j] == region) keep.push_back(static_cast<Index>(j));
    if (std::find(known.begin(), known.end(), it->second[j]) == known.end())
      known.push_back(it->second[j]);
  }
  if (keep.empty()) fail("{}: --region {}: no such region; present: {}", a.source, region, few(known));
  Matrix r(a.responses.rows(), static_cast<Index>(keep.size()));
  std::vector<std::string> ids;
  for (std::size_t k = 0; k < keep.size(); ++k) {
    r.col(static_cast<Index>(k)) = a.responses.col(keep[k]);
    ids.push_back(a.neuroid_id[static_cast<std::size_t>(keep[k])]);
  }
  for (auto& [name, values] : a.neuroid_coords) {
    std::vector<std::string> kept;
    for (Index j : keep) kept.push_back(values[static_cast<std::size_t>(j)]);
    values = std::move(kept);
  }
  a.responses = std::move(r);
  a.neuroid_id = std::move(ids);
}

NeuralData prepare_neural_data(const NeuralAssembly& a) {
  check_shapes(a);
  NeuralData d;
  d.neuroids_total = a.responses.cols();
  d.neuroid_ids = a.neuroid_id;
  d.stimulus_ids = a.stimulus_id;
  std::sort(d.stimulus_ids.begin(), d.stimulus_ids.end());
  d.stimulus_ids.erase(std::unique(d.stimulus_ids.begin(), d.stimulus_ids.end()), d.stimulus_ids.end());
  std::unordered_map<std::string, Index> index;
  for (std::size_t i = 0; i < d.stimulus_ids.size(); ++i)
    index[d.stimulus_ids[i]] = static_cast<Index>(i);
  const Index s = static_cast<Index>(d.stimulus_ids.size()), p = a.responses.rows();
  d.responses = Matrix::Zero(s, a.responses.cols());
  Vector count = Vector::Zero(s);
  std::vector<Index> occurrences(static_cast<std::size_t>(s), 0);
  d.trials.responses = a.responses;
  for (Index i = 0; i < p; ++i) {
    Index k = index[a.stimulus_id[static_cast<std::size_t>(i)]];
    d.responses.row(k) += a.responses.row(i);
    count(k) += 1;
    d.trials.stimulus.push_back(k);
    d.trials.repetition.push_back(a.repetition.empty() ? occurrences[k]
                                                       : static_cast<Index>(a.repetition[i]));
    ++occurrences[k];
  }
  d.responses.array().colwise() /= count.array();
  for (const auto& [name, values] : a.presentation_coords) {
    auto& out = d.stimulus_coords[name];
    out.assign(static_cast<std::size_t>(s), "");
    for (Index i = p - 1; i >= 0; --i) out[d.trials.stimulus[i]] = values[static_cast<std::size_t>(i)];
  }
  exclude_bad_neuroids(d, a.source);
  return d;
}

}  // namespace ventral::neural_fit
