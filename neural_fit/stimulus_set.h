// BrainIO stimulus sets: a CSV with one row per stimulus, columns `stimulus_id` (legacy
// `image_id`), `filename` (relative to the CSV's folder, or absolute) and any metadata
// (object_name, ...). RFC 4180 quoting. Used to locate the images and to supply
// per-stimulus coordinates (e.g. for --stratify).
#pragma once

#include <map>
#include <string>
#include <vector>

namespace ventral::neural_fit {

struct StimulusSet {
  std::vector<std::string> stimulus_id;
  std::vector<std::string> path;                            ///< resolved image path per stimulus
  std::map<std::string, std::vector<std::string>> columns;  ///< every column, by header
};

/// Reads and validates a stimulus-set CSV (unique ids, a filename per row).
StimulusSet read_stimulus_set(const std::string& csv_path);

}  // namespace ventral::neural_fit
