// The released ClickMe TFRecord shards converted to ventral's ClickMe HDF5
// (`ventral data pack clickme:DIR --out clickme.h5`): every record of every shard (sorted by
// file name) checked (both CRCs), decoded (clickme_example.h) and written in order, with
// stimulus ids "<file name>#<record index>".
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "alignment/clickme_example.h"
#include "alignment/clickme_source.h"
#include "alignment/tfrecord.h"

namespace ventral::alignment {

/// Whether `path` is a .tfrecords file or a folder holding some (what pack converts).
bool is_tfrecord_source(const std::string& path);

/// The shards of `path`: the file itself, or the folder's *.tfrecords / *.tfrecord files
/// sorted by name. Error naming the path when there are none.
std::vector<std::string> clickme_shards(const std::string& path);

/// The records of a set of shards, read in place: every record indexed (both checksums
/// verified) and its label read on opening; images and maps decoded on demand. Safe to read
/// from several threads (each call reads its own record).
class ClickMeShards : public ClickMeSource {
 public:
  /// Error naming the shard and record for a bad record or label.
  explicit ClickMeShards(const std::string& path);
  std::size_t size() const override { return labels_.size(); }
  const std::string& path() const override { return path_; }
  const std::vector<std::int64_t>& labels() const override { return labels_; }
  /// "<shard file name>#<record index>"
  const std::vector<std::string>& stimulus_ids() const override { return ids_; }
  bool has_images() const override { return true; }
  HumanMap human_map(std::size_t i) const override;
  Image photograph(std::size_t i) const override;
  /// Record i, decoded (clickme_example.h).
  ClickMeRecord record(std::size_t i) const;

 private:
  std::string path_;
  std::vector<TfRecordIndex> shards_;
  std::vector<std::pair<std::size_t, std::size_t>> where_;  ///< shard, record
  std::vector<std::int64_t> labels_;
  std::vector<std::string> ids_;
};

struct ClickMePackSummary {
  std::size_t records = 0, shards = 0;
  int height = 0, width = 0;
  double seconds = 0;
};

/// Converts the shards of `source` into `out`; nothing is written unless every record
/// decodes (Error naming the shard and record index otherwise).
ClickMePackSummary pack_clickme_tfrecords(const std::string& source, const std::string& out);

}  // namespace ventral::alignment
