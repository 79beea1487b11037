// Packed datasets written by `ventral data pack`: one HDF5 file per split with
//   images   uint8  N x H x W x C (or N x H x W: one channel, as `ventral data pathfinder` writes)
//   labels   int64  N
//   classes  variable-length strings, label order
// Images are read row by row on demand, so a packed ImageNet does not have to fit in memory.
#pragma once

#include "common/h5_file.h"
#include "training/data/dataset.h"

namespace ventral::data {

/// `path` itself when it is a file (used for any split), or `path`/<split>.h5 when it is a
/// folder; Error naming the path when neither exists.
std::string split_file(const std::string& path, const std::string& split);

class H5Dataset : public Dataset {
 public:
  /// `path` is a file (used for any split) or a folder holding <split>.h5. Throws Error
  /// naming the file for missing datasets, wrong shapes or types, and for any label
  /// outside [0, number of classes).
  H5Dataset(const std::string& path, const std::string& split);

  std::size_t size() const override { return labels_.size(); }
  std::int64_t label(std::size_t i) const override { return labels_.at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override;
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return channels_; }

 private:
  void read_labels_and_classes(std::size_t count);

  h5::File file_;
  int height_ = 0, width_ = 0, channels_ = 0;
  std::vector<std::int64_t> labels_;
  std::vector<std::string> classes_;
};

}  // namespace ventral::data
