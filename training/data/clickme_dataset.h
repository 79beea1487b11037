// ClickMe photographs as a Dataset (spec `clickme:PATH`): ventral's ClickMe HDF5
// (alignment/clickme_file.h: images N x H x W x 3 uint8, maps, labels, stimulus_id), a file
// used for any split or a folder of <split>.h5. The classes are the file's optional
// `classes` dataset, else the 1,000 ImageNet class indices "0".."999" of the release's labels.
// So train, eval and features read ClickMe images like any other data.
#pragma once

#include <memory>

#include "alignment/clickme_file.h"
#include "alignment/clickme_tfrecords.h"
#include "training/data/dataset.h"

namespace ventral::data {

class ClickMeDataset : public Dataset {
 public:
  /// Error naming the file when it has no images or a label is outside the classes.
  ClickMeDataset(const std::string& path, const std::string& split);

  std::size_t size() const override { return file_->size(); }
  std::int64_t label(std::size_t i) const override { return file_->labels().at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override;
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 3; }
  bool has_human_maps() const override { return true; }
  Image human_map(std::size_t i) const override;

 private:
  std::unique_ptr<alignment::ClickMeFile> file_;
  std::vector<std::string> classes_;
};

/// The released TFRecord shards read in place (alignment/clickme_tfrecords.h): PATH is a
/// .tfrecords file or a folder of shards used for any split, or a folder holding one folder of
/// shards per split (the release's train/, val/). Classes: the ImageNet indices "0".."999".
/// Images and maps are decoded on every read (JPEG); for many epochs, `data pack clickme:`
/// once and read the HDF5.
class ClickMeShardDataset : public Dataset {
 public:
  ClickMeShardDataset(const std::string& path, const std::string& split);

  std::size_t size() const override { return shards_->size(); }
  std::int64_t label(std::size_t i) const override { return shards_->labels().at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override;
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 3; }
  bool has_human_maps() const override { return true; }
  Image human_map(std::size_t i) const override;

 private:
  std::string path_;
  std::unique_ptr<alignment::ClickMeShards> shards_;
  std::vector<std::string> classes_;
};

/// The shards of `split` under `path` when it holds TFRecords (see ClickMeShardDataset), else
/// an empty string.
std::string clickme_shard_source(const std::string& path, const std::string& split);

}  // namespace ventral::data
