#include "alignment/clickme_source.h"

#include "alignment/clickme_file.h"
#include "alignment/clickme_tfrecords.h"

namespace ventral::alignment {

std::unique_ptr<ClickMeSource> open_clickme(const std::string& path) {
  if (is_tfrecord_source(path)) return std::make_unique<ClickMeShards>(path);
  return std::make_unique<ClickMeFile>(path);
}

std::vector<std::string> clickme_files(const std::string& path) {
  if (is_tfrecord_source(path)) return clickme_shards(path);
  return {path};
}

}  // namespace ventral::alignment
