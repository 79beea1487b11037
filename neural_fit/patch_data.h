// IT-patch recordings (Arcaro, Ponce & Livingstone 2020 design; docs/reference/scoring.md sec. 6):
// each site has a g x g spatial response map per image. HDF5 layout:
//   responses    float, images x g x g x sites [x reps]
//   stimulus_id  strings, one per image
#pragma once

#include <string>
#include <vector>

#include "neural_fit/types.h"

namespace ventral::neural_fit {

struct PatchData {
  std::string source;
  std::vector<std::string> stimulus_ids;  ///< per image
  Index grid = 0, sites = 0, reps = 0;    ///< reps 0: no repetition axis
  /// Per image: (g*g) x sites, averaged over repetitions.
  std::vector<Matrix> maps;
  /// Per image and repetition: (g*g) x sites (empty when reps == 0).
  std::vector<std::vector<Matrix>> trial_maps;
};

/// Reads the layout above; throws ventral::Error naming the file and the problem
/// (rank, non-square grid, id count, duplicate ids, NaN/inf responses).
PatchData read_patch_data(const std::string& path);

}  // namespace ventral::neural_fit
