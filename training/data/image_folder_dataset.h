// imagefolder / imagenet datasets: ROOT/<split>/<class>/**/*.{jpg,jpeg,png} (timm's
// folder reader; torchvision ImageFolder order: class, then path). Images are decoded
// on load with libjpeg-turbo or libpng, sniffed by content so that a PNG named .JPEG
// works; gray and CMYK images come back as RGB.
#pragma once

#include "training/data/dataset.h"

namespace ventral::data {

class ImageFolderDataset : public Dataset {
 public:
  /// Lists ROOT/<split>. Classes are the sub-folders sorted by name, or the names in
  /// `class_map_path` in file order (other folders are then ignored). Throws Error for a
  /// missing split folder, a class-map name without a folder, or a class without images.
  ImageFolderDataset(const std::string& root, const std::string& split,
                     const std::string& class_map_path = "");

  std::size_t size() const override { return paths_.size(); }
  std::int64_t label(std::size_t i) const override { return labels_.at(i); }
  Image load(std::size_t i) const override;
  std::string source(std::size_t i) const override { return paths_.at(i); }
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 3; }
  std::optional<std::vector<std::uint8_t>> encoded(std::size_t i) const override;

 private:
  std::vector<std::string> classes_;
  std::vector<std::string> paths_;
  std::vector<std::int64_t> labels_;
};

/// Gray becomes RGB by replication; RGB is returned as is.
Image to_rgb(Image image);

}  // namespace ventral::data
