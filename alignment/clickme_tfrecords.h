// The released ClickMe TFRecord shards converted to ventral's ClickMe HDF5
// (`ventral data pack clickme:DIR --out clickme.h5`): every record of every shard (sorted by
// file name) checked (both CRCs), decoded (clickme_example.h) and written in order, with
// stimulus ids "<file name>#<record index>".
#pragma once

#include <string>
#include <vector>

namespace ventral::alignment {

/// Whether `path` is a .tfrecords file or a folder holding some (what pack converts).
bool is_tfrecord_source(const std::string& path);

/// The shards of `path`: the file itself, or the folder's *.tfrecords / *.tfrecord files
/// sorted by name. Error naming the path when there are none.
std::vector<std::string> clickme_shards(const std::string& path);

struct ClickMePackSummary {
  std::size_t records = 0, shards = 0;
  int height = 0, width = 0;
  double seconds = 0;
};

/// Converts the shards of `source` into `out`; nothing is written unless every record
/// decodes (Error naming the shard and record index otherwise).
ClickMePackSummary pack_clickme_tfrecords(const std::string& source, const std::string& out);

}  // namespace ventral::alignment
