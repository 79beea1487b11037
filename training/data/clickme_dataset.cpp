#include "training/data/clickme_dataset.h"

#include <fmt/format.h>

#include "common/error.h"
#include "training/data/h5_dataset.h"

namespace ventral::data {

ClickMeDataset::ClickMeDataset(const std::string& path, const std::string& split)
    : file_(std::make_unique<alignment::ClickMeFile>(split_file(path, split))) {
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

std::string ClickMeDataset::source(std::size_t i) const {
  return fmt::format("{}[{}] ({})", file_->maps().path(), i, file_->stimulus_ids().at(i));
}

}  // namespace ventral::data
