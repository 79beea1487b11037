#include "training/data/clickme_dataset.h"

#include <fmt/format.h>

#include <cmath>

#include "alignment/clickme_map.h"
#include "common/error.h"
#include "training/data/h5_dataset.h"

namespace ventral::data {

ClickMeDataset::ClickMeDataset(const std::string& path, const std::string& split)
    : file_(std::make_unique<alignment::ClickMeFile>(
          split_file(alignment::refuse_tfrecords(path), split))) {
  const std::string& name = file_->maps().path();
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
  if (i >= size()) fail("{}: sample {} out of range ({} images)", file_->maps().path(), i, size());
  return Image{file_->image_height(), file_->image_width(), 3, file_->read_image(i)};
}

Image ClickMeDataset::human_map(std::size_t i) const {
  if (i >= size()) fail("{}: sample {} out of range ({} images)", file_->maps().path(), i, size());
  const auto& maps = file_->maps();
  const auto raw = maps.read(i);
  const int h = file_->image_height(), w = file_->image_width();
  const auto map = alignment::clickme_training_map(raw.data(), maps.height(), maps.width(), h, w);
  Image out{h, w, 1, std::vector<std::uint8_t>(map.size())};
  for (std::size_t k = 0; k < map.size(); ++k)
    out.pixels[k] = static_cast<std::uint8_t>(std::lround(map[k] * 255.0f));
  return out;
}

std::string ClickMeDataset::source(std::size_t i) const {
  return fmt::format("{}[{}] ({})", file_->maps().path(), i, file_->stimulus_ids().at(i));
}

}  // namespace ventral::data
