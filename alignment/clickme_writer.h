// Writes ventral's ClickMe HDF5 (clickme_file.h) row block by row block into a temporary
// file that becomes `path` only on commit(): `data cluttered` and `data pack clickme:`
// write through it, and an interrupted write leaves nothing behind.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/atomic_output.h"
#include "common/h5_file.h"

namespace ventral::alignment {

struct ClickMeRows {
  std::vector<std::uint8_t> images;  ///< rows x H x W x 3
  std::vector<float> maps;           ///< rows x H x W, 0..255
  std::vector<std::int64_t> labels;
  std::vector<std::string> stimulus_ids;
  std::size_t size() const { return labels.size(); }
};

class ClickMeWriter {
 public:
  /// `count` images of height x width; `classes` (label order) is written when not empty.
  ClickMeWriter(const std::string& path, std::size_t count, int height, int width,
                std::vector<std::string> classes = {});

  /// Appends rows; Error when they exceed `count` or their sizes do not match.
  void append(const ClickMeRows& rows);
  /// A string attribute on the root group (provenance: seed, generator settings).
  void attribute(const std::string& name, const std::string& value);
  /// Writes labels, ids and classes and moves the file into place; Error unless exactly
  /// `count` rows were appended.
  void commit();

 private:
  AtomicOutput output_;
  h5::File file_;
  std::size_t count_, written_ = 0;
  int height_, width_;
  std::vector<std::string> classes_, ids_;
  std::vector<std::int64_t> labels_;
};

}  // namespace ventral::alignment
