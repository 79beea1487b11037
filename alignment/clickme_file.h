// ventral's ClickMe HDF5 format (docs/reference/data.md sec. 4), the form the released
// TFRecord shards are converted to:
//   images       uint8   N x H x W x 3   the photographs (256 x 256 as released)
//   maps         float32 N x H x W       the human ClickMe heatmaps, 0..255 as released
//   labels       int64   N               ImageNet class index
//   stimulus_id  strings N
// and the saliency-map files `ventral align --maps` scores (maps float32 N x H x W, an
// optional stimulus_id). Rows are read on demand.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "alignment/clickme_source.h"
#include "common/h5_file.h"

namespace ventral::alignment {

/// A stack of maps (N x H x W float32) read row by row, with ids when the file has them.
class MapFile {
 public:
  /// Opens `path` and checks `dataset` is N x H x W float32-readable with N > 0; Error
  /// naming the file otherwise. `stimulus_id`, when present, must have N unique entries.
  MapFile(const std::string& path, const std::string& dataset);

  std::size_t size() const { return count_; }
  int height() const { return height_; }
  int width() const { return width_; }
  const std::string& path() const { return file_.path(); }
  /// Empty when the file has no stimulus_id.
  const std::vector<std::string>& stimulus_ids() const { return ids_; }
  /// Map i, row-major height() x width().
  std::vector<float> read(std::size_t i) const;

 private:
  h5::File file_;
  std::string dataset_;
  std::size_t count_ = 0;
  int height_ = 0, width_ = 0;
  std::vector<std::string> ids_;
};

/// A ClickMe HDF5 file: the human maps (`maps`) with their ids and labels, and the
/// photographs when the file has them.
class ClickMeFile : public ClickMeSource {
 public:
  /// Checks images, maps, labels and stimulus_id agree in N (Error naming the file).
  explicit ClickMeFile(const std::string& path);

  std::size_t size() const override { return maps_.size(); }
  const std::string& path() const override { return maps_.path(); }
  const MapFile& maps() const { return maps_; }
  const std::vector<std::string>& stimulus_ids() const override { return maps_.stimulus_ids(); }
  const std::vector<std::int64_t>& labels() const override { return labels_; }
  /// From the file's optional `classes` dataset (label order); empty if absent.
  std::vector<std::string> classes() const override;
  /// Whether the file holds the photographs (`images` N x H x W x 3 uint8).
  bool has_images() const override { return image_height_ > 0; }
  int image_height() const { return image_height_; }
  int image_width() const { return image_width_; }
  HumanMap human_map(std::size_t i) const override;
  Image photograph(std::size_t i) const override;

 private:
  MapFile maps_;
  h5::File file_;
  std::vector<std::int64_t> labels_;
  int image_height_ = 0, image_width_ = 0;
};

/// The path of a `clickme:PATH` spec (a bare path is accepted too); Error for another kind.
std::string clickme_path(const std::string& spec);

}  // namespace ventral::alignment
