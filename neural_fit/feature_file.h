// Feature files as `ventral features` writes them (and any framework can): HDF5 with
// `stimulus_id` (N strings) and one float dataset per layer, leading dimension N, named
// by the layer ("c1/0", "c2", ...), groups allowed.
#pragma once

#include <string>
#include <vector>

#include "common/h5_file.h"
#include "neural_fit/types.h"

namespace ventral::neural_fit {

class FeatureFile {
 public:
  /// Opens and checks the file: stimulus ids present and unique, at least one layer.
  explicit FeatureFile(const std::string& path);

  const std::string& path() const { return path_; }
  const std::vector<std::string>& stimulus_ids() const { return stimulus_ids_; }
  /// Every dataset other than stimulus_id whose leading dimension is N.
  const std::vector<std::string>& layers() const { return layers_; }
  /// Shape of a layer without the leading N (e.g. C x H x W).
  h5::Shape layer_shape(const std::string& layer) const;

  /// Positions of `ids` in the file; throws naming a few missing ids.
  Rows rows_for(const std::vector<std::string>& ids) const;
  /// The given rows of a layer, flattened (rows x prod(layer_shape)), in row order.
  /// Reads in chunks, so peak memory is the result plus one chunk.
  FeatureMatrix read_rows(const std::string& layer, const Rows& rows) const;

 private:
  void check_layer(const std::string& layer) const;

  std::string path_;
  h5::File file_;
  std::vector<std::string> stimulus_ids_;
  std::vector<std::string> layers_;
};

}  // namespace ventral::neural_fit
