// Imprinting S2 prototypes from C1 responses to natural images (Serre et al. 2007):
// for each prototype a random image, a random C1 band and a random m x m window,
// all 4 orientations. Deterministic for a seed.
#pragma once

#include <cstdint>
#include <vector>

#include <torch/types.h>

#include "hmax/prototypes.h"

namespace ventral::hmax {

struct ImprintOptions {
  std::vector<int> sizes = {4, 8, 12, 16};  ///< patch sizes m (even)
  int per_size = 25;                        ///< prototypes per size
  std::uint64_t seed = 0;
};

struct ImprintResult {
  PrototypeSet prototypes;
  /// Per size: (P, 4) int64 rows of image index, band, top row, left column.
  std::vector<torch::Tensor> provenance;
};

/// c1_per_image[i][k]: C1 band k of image i, (4, Hb, Wb). Only windows that fit inside a
/// band are drawn; throws Error when no band of any image is large enough for a size.
ImprintResult imprint_prototypes(const std::vector<std::vector<torch::Tensor>>& c1_per_image,
                                 const ImprintOptions& options);

}  // namespace ventral::hmax
