// S2 prototype sets for HMAX: per patch size m, a (P, 4, m, m) float tensor of C1
// patches (orientation, row, column). Loaded from / saved to HDF5 as `patches/<m>`.
#pragma once

#include <torch/types.h>

#include <string>
#include <vector>

namespace ventral::hmax {

struct PrototypeSet {
  std::vector<int> sizes;              ///< patch sizes, ascending
  std::vector<torch::Tensor> patches;  ///< patches[i]: (P_i, 4, sizes[i], sizes[i]) float32

  bool empty() const { return sizes.empty(); }
  /// Total number of prototypes over all sizes.
  int64_t count() const;
};

/// Reads `patches/<m>` datasets. Throws Error naming the file when the group is missing,
/// a name is not an even positive size, or a shape is not (P, 4, m, m).
PrototypeSet load_prototypes(const std::string& path);

/// Writes `patches/<m>` (and, when given, `provenance/<m>`: P x 4 int64 rows of
/// image index, band, row, column) atomically.
void save_prototypes(const std::string& path, const PrototypeSet& set,
                     const std::vector<torch::Tensor>& provenance = {});

}  // namespace ventral::hmax
