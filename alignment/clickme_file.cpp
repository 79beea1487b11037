#include "alignment/clickme_file.h"

#include <set>

#include "common/error.h"

namespace ventral::alignment {

MapFile::MapFile(const std::string& path, const std::string& dataset)
    : file_(h5::File::open_read(path)), dataset_(dataset) {
  if (!file_.is_dataset(dataset))
    fail("{}: no '{}' dataset, expected float32 N x H x W maps", path, dataset);
  if (file_.is_string(dataset))
    fail("{}: '{}' holds text, expected float32 N x H x W maps", path, dataset);
  const auto shape = file_.shape(dataset);
  if (shape.size() != 3 || shape[0] == 0 || shape[1] < 2 || shape[2] < 2) {
    fail("{}: '{}' has shape {}, expected N x H x W maps with N > 0 and H, W >= 2", path, dataset,
         h5::shape_string(shape));
  }
  count_ = shape[0];
  height_ = static_cast<int>(shape[1]);
  width_ = static_cast<int>(shape[2]);
  if (file_.is_dataset("stimulus_id")) {
    ids_ = file_.read_strings("stimulus_id");
    if (ids_.size() != count_) {
      fail("{}: stimulus_id has {} entries for {} maps", path, ids_.size(), count_);
    }
    std::set<std::string> seen;
    for (const auto& id : ids_) {
      if (!seen.insert(id).second) fail("{}: duplicate stimulus_id '{}'", path, id);
    }
  }
}

std::vector<float> MapFile::read(std::size_t i) const {
  return file_.read_float_rows(dataset_, i, i + 1);
}

ClickMeFile::ClickMeFile(const std::string& path)
    : maps_(path, "maps"), file_(h5::File::open_read(path)) {
  const auto& file = path;
  if (maps_.stimulus_ids().empty())
    fail("{}: no stimulus_id dataset (ventral's ClickMe HDF5 has one)", file);
  if (!file_.is_dataset("labels")) fail("{}: no 'labels' dataset, expected int64 N", file);
  h5::Shape shape;
  labels_ = file_.read_int64("labels", &shape);
  if (shape.size() != 1 || shape[0] != maps_.size()) {
    fail("{}: labels has shape {}, expected {} (one per map)", file, h5::shape_string(shape),
         maps_.size());
  }
  if (file_.is_dataset("images")) {
    const auto images = file_.shape("images");
    if (images.size() != 4 || images[0] != maps_.size() || images[3] != 3) {
      fail("{}: images has shape {}, expected {} x H x W x 3", file, h5::shape_string(images),
           maps_.size());
    }
    if (!file_.is_uint8("images")) fail("{}: images must be uint8", file);
    image_height_ = static_cast<int>(images[1]);
    image_width_ = static_cast<int>(images[2]);
  }
}

std::vector<std::string> ClickMeFile::classes() const {
  return file_.is_dataset("classes") ? file_.read_strings("classes") : std::vector<std::string>{};
}

HumanMap ClickMeFile::human_map(std::size_t i) const {
  if (i >= size()) fail("{}: record {} out of range ({} records)", path(), i, size());
  return {maps_.height(), maps_.width(), maps_.read(i)};
}

Image ClickMeFile::photograph(std::size_t i) const {
  if (!has_images()) fail("{}: no 'images' dataset (the photographs, N x H x W x 3 uint8)", path());
  if (i >= size()) fail("{}: record {} out of range ({} records)", path(), i, size());
  Image image{image_height_, image_width_, 3, {}};
  image.pixels.resize(static_cast<std::size_t>(image_height_) * image_width_ * 3);
  file_.read_uint8_rows("images", i, i + 1, image.pixels.data());
  return image;
}

std::string clickme_path(const std::string& spec) {
  const std::string prefix = "clickme:";
  if (spec.rfind(prefix, 0) == 0) return spec.substr(prefix.size());
  const auto colon = spec.find(':');
  if (colon != std::string::npos && spec.find('/') > colon) {
    fail("--clickme {}: expected clickme:PATH (a ClickMe HDF5 file, or TFRecord shards)", spec);
  }
  return spec;
}

}  // namespace ventral::alignment
