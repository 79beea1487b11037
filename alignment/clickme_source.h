// The ClickMe records that `align`, `show --saliency` and the clickme: data set read, wherever
// they are stored: ventral's ClickMe HDF5 (clickme_file.h) or the released TFRecord shards read
// in place (clickme_tfrecords.h). Each record is a photograph, its human map, a label and a
// stimulus id.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "common/image_io.h"

namespace ventral::alignment {

/// A human ClickMe map, row-major height x width, 0..255 as released.
struct HumanMap {
  int height = 0, width = 0;
  std::vector<float> values;
};

class ClickMeSource {
 public:
  virtual ~ClickMeSource() = default;
  virtual std::size_t size() const = 0;
  /// The file or folder the records come from (for messages and reports).
  virtual const std::string& path() const = 0;
  virtual const std::vector<std::string>& stimulus_ids() const = 0;
  virtual const std::vector<std::int64_t>& labels() const = 0;
  /// Class names in label order, when the source has them (empty otherwise).
  virtual std::vector<std::string> classes() const { return {}; }
  /// Whether photographs are stored (a map-only HDF5 has none).
  virtual bool has_images() const = 0;
  /// Record i's human map; Error naming the source for a bad record.
  virtual HumanMap human_map(std::size_t i) const = 0;
  /// Record i's photograph (RGB); Error when there are none or the record is bad.
  virtual Image photograph(std::size_t i) const = 0;
};

/// ClickMe HDF5 for a file that is not TFRecords; the shards read in place for a .tfrecords
/// file or a folder of them. Error naming the path otherwise.
std::unique_ptr<ClickMeSource> open_clickme(const std::string& path);

/// The files open_clickme(path) reads: the shards, or the file itself (what an output must not
/// replace).
std::vector<std::string> clickme_files(const std::string& path);

}  // namespace ventral::alignment
