// The features of a benchmark's stimuli, extracted in memory from their dataset (ids
// "<split>-<index>", as `ventral features --data` writes them) once per run and layer set, and
// laid out in the order of the recordings' stimulus ids.
#pragma once

#include <string>
#include <vector>

#include "benchmarks/benchmark.h"
#include "neural_fit/types.h"

namespace ventral::benchmarks {

struct StimulusSource {
  std::string data;   ///< dataset spec
  std::string split;  ///< resolved (not empty)
  std::size_t count = 0;
};

/// Cached in `context`; every name in `layers` must be a leaf layer (Error otherwise).
const training::FeatureSet& stimulus_features(ScoringContext& context, const StimulusSource& source,
                                              const std::vector<std::string>& layers);

/// Rows of `layer` for `ids` (images x flattened units). Error naming `recordings` and the first
/// id the stimuli lack.
neural_fit::FeatureMatrix features_for(const training::FeatureSet& features, const std::string& layer,
                                       const std::vector<std::string>& ids, const StimulusSource& source,
                                       const std::string& recordings);

/// "A|B|C" -> names; Error naming the benchmark for an empty name.
std::vector<std::string> split_bar_list(const std::string& text, const std::string& benchmark);

}  // namespace ventral::benchmarks
