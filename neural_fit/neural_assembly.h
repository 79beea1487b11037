// Neural recordings in memory: presentation-level responses as the readers return them
// (BrainIO NetCDF or ventral's HDF5 format), and the stimulus-level data the fit uses
// (repetitions averaged by stimulus_id, bad neuroids excluded and counted).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

/// Presentation-level recordings, one time bin already selected.
struct NeuralAssembly {
  std::string source;                    ///< file path, for messages
  Matrix responses;                      ///< presentations x neuroids
  std::vector<std::string> stimulus_id;  ///< per presentation
  std::vector<std::int64_t> repetition;  ///< per presentation; empty: order of appearance
  std::map<std::string, std::vector<std::string>> presentation_coords;  ///< as text
  std::vector<std::string> neuroid_id;                                  ///< per neuroid
  std::map<std::string, std::vector<std::string>> neuroid_coords;       ///< as text
};

/// Keeps the neuroids whose `region` coordinate equals `region` (no-op when empty).
void select_region(NeuralAssembly& assembly, const std::string& region);

/// Presentations with their stimulus and repetition indices (for the ceiling).
struct Trials {
  Matrix responses;               ///< presentations x neuroids
  std::vector<Index> stimulus;    ///< index into NeuralData::stimulus_ids
  std::vector<Index> repetition;  ///< 0-based repetition index
  Index n_repetitions = 0;
};

/// Stimulus-level data: repetitions averaged, stimuli sorted by id.
struct NeuralData {
  std::vector<std::string> stimulus_ids;
  Matrix responses;  ///< stimuli x neuroids
  std::vector<std::string> neuroid_ids;
  std::map<std::string, std::vector<std::string>> stimulus_coords;  ///< first presentation's value
  Trials trials;
  Index neuroids_total = 0;
  Index excluded_nonfinite = 0;  ///< neuroids with NaN/inf responses
  Index excluded_constant = 0;   ///< neuroids constant across stimuli
  std::vector<std::string> warnings;
};

/// Averages repetitions, excludes non-finite and constant neuroids (with warnings).
/// Throws ventral::Error when no neuroid remains or the shapes disagree.
NeuralData prepare_neural_data(const NeuralAssembly& assembly);

}  // namespace ventral::neural_fit
