// ventral's simple HDF5 neural format (documented in neural_fit/README_cli_section.md):
//   responses     float, reps x stimuli x sites, or stimuli x sites (no repetitions)
//   stimulus_id   strings, one per stimulus (unique)
//   site_id       strings, one per site (optional; default "0", "1", ...)
//   region        strings, one per site (optional; for --region)
//   stimulus_meta/<name>  strings, one per stimulus (optional; e.g. object_name for --stratify)
// NaN marks a missing trial; such sites are excluded with a warning.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "neural_fit/neural_assembly.h"

namespace ventral::neural_fit {

/// True when the file is HDF5 with a top-level `responses` dataset.
bool is_neural_h5(const std::string& path);

/// Reads the simple format into presentation-level form (reps x stimuli presentations).
NeuralAssembly read_neural_h5(const std::string& path, const std::string& region);

/// Contents to write in the simple format.
struct NeuralH5Contents {
  std::vector<float> responses;  ///< reps x stimuli x sites, C order
  Index reps = 1, stimuli = 0, sites = 0;
  std::vector<std::string> stimulus_id;
  std::vector<std::string> site_id;
  std::vector<std::string> region;                   ///< optional
  std::map<std::string, std::string> attributes;     ///< root string attributes
  std::map<std::string, std::vector<double>> extra;  ///< extra 1-D float64 datasets
};

/// Writes the simple format to `path` (the caller handles atomicity).
void write_neural_h5(const std::string& path, const NeuralH5Contents& contents);

/// Reads any supported neural file: BrainIO NetCDF or the simple HDF5 format.
/// A file that is neither (or not HDF5 at all) is an error naming it.
NeuralAssembly read_neural_file(const std::string& path, const std::string& region,
                                const std::string& time_bin);

}  // namespace ventral::neural_fit
