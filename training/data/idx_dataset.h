// MNIST / Fashion-MNIST IDX files (LeCun's format): a big-endian int32 magic
// (0x00000803 images, 0x00000801 labels), big-endian int32 dimensions, then uint8
// data. Files may be gzipped. The whole split is held in memory (60000 x 28 x 28 is 47 MB).
#pragma once

#include "training/data/dataset.h"

namespace ventral::data {

class IdxDataset : public Dataset {
 public:
  /// Reads DIR/<split>-images-idx3-ubyte[.gz] and DIR/<split>-labels-idx1-ubyte[.gz]
  /// (plain or gzip). Throws Error naming the file for a missing file, a wrong magic,
  /// truncated data or image and label counts that differ.
  IdxDataset(const std::string& folder, const std::string& split);

  std::size_t size() const override { return labels_.size(); }
  std::int64_t label(std::size_t i) const override { return labels_.at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override;
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 1; }

 private:
  std::string images_path_;
  int height_ = 0, width_ = 0;
  std::vector<std::uint8_t> pixels_;
  std::vector<std::int64_t> labels_;
  std::vector<std::string> classes_;
};

/// One IDX file: its dimensions and data bytes.
struct IdxArray {
  std::vector<std::int64_t> dims;
  std::vector<std::uint8_t> data;
};

/// Reads an IDX file (plain or gzip), checking that the magic is `expected_magic`
/// and that the data is complete.
IdxArray read_idx_file(const std::string& path, std::uint32_t expected_magic);

}  // namespace ventral::data
