#include "training/data/h5_dataset.h"

#include <hdf5.h>

#include <filesystem>

#include "common/error.h"

namespace ventral::data {
namespace {

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

bool is_uint8(hid_t dataset) {
  hid_t type = H5Dget_type(dataset);
  bool ok = H5Tget_class(type) == H5T_INTEGER && H5Tget_size(type) == 1 &&
            H5Tget_sign(type) == H5T_SGN_NONE;
  H5Tclose(type);
  return ok;
}

}  // namespace

std::mutex& hdf5_mutex() {
  static std::mutex mutex;
  return mutex;
}

H5Dataset::H5Dataset(const std::string& path, const std::string& split)
    : file_([&] {
        std::lock_guard<std::mutex> lock(hdf5_mutex());
        return h5::File::open_read(split_file(path, split));
      }()) {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
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
  rank_ = static_cast<int>(shape.size());
  height_ = static_cast<int>(shape[1]);
  width_ = static_cast<int>(shape[2]);
  channels_ = rank_ == 4 ? static_cast<int>(shape[3]) : 1;
  images_id_ = H5Dopen2(file_.id(), "images", H5P_DEFAULT);
  if (images_id_ < 0) fail("{}: cannot open dataset 'images'", name);
  bool uint8 = is_uint8(images_id_);
  // The destructor does not run when a constructor throws, so close `images` here.
  try {
    if (!uint8) fail("{}: images must be uint8", name);
    read_labels_and_classes(shape[0]);
  } catch (...) {
    H5Dclose(images_id_);
    throw;
  }
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

H5Dataset::~H5Dataset() {
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  if (images_id_ >= 0) H5Dclose(images_id_);
  file_.close();
}

Image H5Dataset::load(std::size_t i) const {
  if (i >= labels_.size())
    fail("{}: sample {} out of range ({} images)", file_.path(), i, labels_.size());
  Image image{height_, width_, channels_, {}};
  image.pixels.resize(static_cast<std::size_t>(height_) * width_ * channels_);
  hsize_t start[4] = {i, 0, 0, 0};
  hsize_t count[4] = {1, static_cast<hsize_t>(height_), static_cast<hsize_t>(width_),
                      static_cast<hsize_t>(channels_)};
  std::lock_guard<std::mutex> lock(hdf5_mutex());
  hid_t file_space = H5Dget_space(images_id_);
  hid_t mem_space = H5Screate_simple(rank_, count, nullptr);
  herr_t status = H5Sselect_hyperslab(file_space, H5S_SELECT_SET, start, nullptr, count, nullptr);
  if (status >= 0) {
    status = H5Dread(images_id_, H5T_NATIVE_UINT8, mem_space, file_space, H5P_DEFAULT,
                     image.pixels.data());
  }
  H5Sclose(mem_space);
  H5Sclose(file_space);
  if (status < 0) fail("{}: cannot read the image (file damaged?)", source(i));
  return image;
}

std::string H5Dataset::source(std::size_t i) const { return fmt::format("{}[{}]", file_.path(), i); }

}  // namespace ventral::data
