#include "training/data/clickme_dataset.h"

#include <fmt/format.h>

#include <cmath>
#include <filesystem>

#include "alignment/clickme_map.h"
#include "common/error.h"
#include "training/data/h5_dataset.h"

namespace ventral::data {

namespace {

// The training heatmap of a map at its image's size, quantised to 8 bits (Dataset::human_map).
Image quantised_training_map(const float* map, int map_h, int map_w, int h, int w) {
  const auto trained = alignment::clickme_training_map(map, map_h, map_w, h, w);
  Image out{h, w, 1, std::vector<std::uint8_t>(trained.size())};
  for (std::size_t k = 0; k < trained.size(); ++k)
    out.pixels[k] = static_cast<std::uint8_t>(std::lround(trained[k] * 255.0f));
  return out;
}

}  // namespace

ClickMeDataset::ClickMeDataset(const std::string& path, const std::string& split)
    : file_(std::make_unique<alignment::ClickMeFile>(split_file(path, split))) {
  const std::string& name = file_->path();
  if (!file_->has_images()) fail("{}: no 'images' dataset (N x H x W x 3 uint8)", name);
  classes_ = file_->classes();
  if (classes_.empty()) {
    for (int k = 0; k < 1000; ++k) classes_.push_back(std::to_string(k));  // ImageNet indices
  }
  for (std::size_t i = 0; i < file_->size(); ++i) {
    const auto label = file_->labels()[i];
    if (label < 0 || label >= static_cast<std::int64_t>(classes_.size())) {
      fail("{}: labels[{}] is {}, expected 0..{} ({} classes)", name, i, label, classes_.size() - 1,
           classes_.size());
    }
  }
}

Image ClickMeDataset::load(std::size_t i) const {
  if (i >= size()) fail("{}: sample {} out of range ({} images)", file_->path(), i, size());
  return file_->photograph(i);
}

Image ClickMeDataset::human_map(std::size_t i) const {
  if (i >= size()) fail("{}: sample {} out of range ({} images)", file_->path(), i, size());
  const auto& maps = file_->maps();
  const auto raw = maps.read(i);
  return quantised_training_map(raw.data(), maps.height(), maps.width(), file_->image_height(),
                                file_->image_width());
}

std::string ClickMeDataset::source(std::size_t i) const {
  return fmt::format("{}[{}] ({})", file_->path(), i, file_->stimulus_ids().at(i));
}

std::string clickme_shard_source(const std::string& path, const std::string& split) {
  namespace fs = std::filesystem;
  std::error_code ec;
  const auto per_split = (fs::path(path) / split).string();
  if (fs::is_directory(per_split, ec) && alignment::is_tfrecord_source(per_split)) return per_split;
  if (alignment::is_tfrecord_source(path)) return path;
  return "";
}

ClickMeShardDataset::ClickMeShardDataset(const std::string& path, const std::string& split)
    : path_(clickme_shard_source(path, split)) {
  if (path_.empty()) fail("clickme:{}: no TFRecord shards for split '{}'", path, split);
  shards_ = std::make_unique<alignment::ClickMeShards>(path_);
  for (int k = 0; k < 1000; ++k) classes_.push_back(std::to_string(k));  // ImageNet indices
  for (std::size_t i = 0; i < shards_->size(); ++i) {
    const auto label = shards_->labels()[i];
    if (label < 0 || label >= 1000)
      fail("{}: label {} is outside the 1,000 ImageNet classes", source(i), label);
  }
}

Image ClickMeShardDataset::load(std::size_t i) const { return shards_->photograph(i); }

Image ClickMeShardDataset::human_map(std::size_t i) const {
  const auto r = shards_->record(i);
  return quantised_training_map(r.heatmap.data(), r.height, r.width, r.height, r.width);
}

std::string ClickMeShardDataset::source(std::size_t i) const {
  return fmt::format("{} ({})", path_, shards_->stimulus_ids().at(i));
}

}  // namespace ventral::data
