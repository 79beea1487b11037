#include "training/data/image_folder_dataset.h"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "training/data/class_map.h"

namespace ventral::data {
namespace fs = std::filesystem;
namespace {

std::vector<std::string> sorted_subfolders(const fs::path& folder) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(folder)) {
    if (entry.is_directory()) names.push_back(entry.path().filename().string());
  }
  std::sort(names.begin(), names.end());
  return names;
}

// Image files anywhere below a class folder (timm reads nested folders too), sorted so
// that the sample order does not depend on the file system.
std::vector<std::string> image_files_below(const fs::path& folder) {
  std::vector<std::string> files;
  for (const auto& entry :
       fs::recursive_directory_iterator(folder, fs::directory_options::follow_directory_symlink)) {
    if (entry.is_regular_file() && has_image_extension(entry.path().string())) {
      files.push_back(entry.path().string());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

Image to_rgb(Image image) {
  if (image.channels != 1) return image;
  std::vector<std::uint8_t> rgb(image.pixels.size() * 3);
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    rgb[3 * i] = rgb[3 * i + 1] = rgb[3 * i + 2] = image.pixels[i];
  }
  image.pixels = std::move(rgb);
  image.channels = 3;
  return image;
}

ImageFolderDataset::ImageFolderDataset(const std::string& root, const std::string& split,
                                       const std::string& class_map_path) {
  fs::path split_folder = fs::path(root) / split;
  std::error_code ec;
  if (!fs::is_directory(root, ec)) fail("imagefolder {}: no such folder", root);
  if (!fs::is_directory(split_folder, ec)) {
    fail("imagefolder {}: no split folder '{}', expected {}/<split>/<class>/<image>", root, split, root);
  }
  if (class_map_path.empty()) {
    classes_ = sorted_subfolders(split_folder);
    if (classes_.empty()) {
      fail("imagefolder {}: no class folders, expected {}/<class>/<image>", split_folder.string(),
           split_folder.string());
    }
  } else {
    classes_ = read_class_map(class_map_path);
    for (const auto& name : classes_) {
      if (!fs::is_directory(split_folder / name, ec)) {
        fail("--class-map {}: class '{}' has no folder {}", class_map_path, name,
             (split_folder / name).string());
      }
    }
  }
  for (std::size_t c = 0; c < classes_.size(); ++c) {
    auto files = image_files_below(split_folder / classes_[c]);
    if (files.empty()) {
      fail("imagefolder {}: class folder has no .jpg, .jpeg or .png files",
           (split_folder / classes_[c]).string());
    }
    paths_.insert(paths_.end(), files.begin(), files.end());
    labels_.insert(labels_.end(), files.size(), static_cast<std::int64_t>(c));
  }
}

Image ImageFolderDataset::load(std::size_t i) const { return to_rgb(read_image(paths_.at(i))); }

std::optional<std::vector<std::uint8_t>> ImageFolderDataset::encoded(std::size_t i) const {
  const auto& path = paths_.at(i);
  std::ifstream stream(path, std::ios::binary | std::ios::ate);
  if (!stream) fail("{}: cannot open image (missing or unreadable)", path);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(stream.tellg()));
  stream.seekg(0);
  stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  if (!stream) fail("{}: cannot read image file", path);
  return bytes;
}

}  // namespace ventral::data
