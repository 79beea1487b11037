#include "training/data/h5_dataset.h"

#include <filesystem>

#include "common/error.h"

namespace ventral::data {

std::string split_file(const std::string& path, const std::string& split) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (fs::is_directory(path, ec)) {
    fs::path file = fs::path(path) / (split + ".h5");
    if (!fs::is_regular_file(file, ec)) {
      fail("h5 {}: no {} (a folder holds one <split>.h5 per split)", path, file.string());
    }
    return file.string();
  }
  if (!fs::exists(path, ec)) fail("h5 {}: no such file or folder", path);
  return path;
}

H5Dataset::H5Dataset(const std::string& path, const std::string& split)
    : file_(h5::File::open_read(split_file(path, split))) {
  const std::string& name = file_.path();
  for (const char* required : {"images", "labels", "classes"}) {
    if (!file_.is_dataset(required)) {
      fail(
          "{}: no '{}' dataset, expected images (N x H x W x C uint8), labels (N int64), "
          "classes (strings) as written by `ventral data pack`",
          name, required);
    }
  }
  auto shape = file_.shape("images");
  if ((shape.size() != 4 && shape.size() != 3) || shape[0] == 0) {
    fail("{}: images has shape {}, expected N x H x W x C or N x H x W (one channel) with N > 0", name,
         h5::shape_string(shape));
  }
  if (!file_.is_uint8("images")) fail("{}: images must be uint8", name);
  height_ = static_cast<int>(shape[1]);
  width_ = static_cast<int>(shape[2]);
  channels_ = shape.size() == 4 ? static_cast<int>(shape[3]) : 1;
  read_labels_and_classes(shape[0]);
}

void H5Dataset::read_labels_and_classes(std::size_t count) {
  const std::string& name = file_.path();
  h5::Shape label_shape;
  labels_ = file_.read_int64("labels", &label_shape);
  if (label_shape.size() != 1 || label_shape[0] != count) {
    fail("{}: labels has shape {}, expected {} (one per image)", name, h5::shape_string(label_shape),
         count);
  }
  classes_ = file_.read_strings("classes");
  if (classes_.empty()) fail("{}: classes is empty, expected one name per class", name);
  for (std::size_t i = 0; i < labels_.size(); ++i) {
    if (labels_[i] < 0 || labels_[i] >= static_cast<std::int64_t>(classes_.size())) {
      fail("{}: labels[{}] is {}, expected 0..{} ({} classes)", name, i, labels_[i], classes_.size() - 1,
           classes_.size());
    }
  }
}

Image H5Dataset::load(std::size_t i) const {
  if (i >= labels_.size())
    fail("{}: sample {} out of range ({} images)", file_.path(), i, labels_.size());
  Image image{height_, width_, channels_, {}};
  image.pixels.resize(static_cast<std::size_t>(height_) * width_ * channels_);
  file_.read_uint8_rows("images", i, i + 1, image.pixels.data());
  return image;
}

std::string H5Dataset::source(std::size_t i) const { return fmt::format("{}[{}]", file_.path(), i); }

}  // namespace ventral::data
