#include "training/image_files.h"

#include <torch/torch.h>

#include <algorithm>
#include <filesystem>

#include "common/error.h"
#include "training/data/pil_resize.h"

namespace ventral::training {

namespace fs = std::filesystem;

std::vector<std::string> collect_image_paths(const std::vector<std::string>& files,
                                             const std::string& folder) {
  std::vector<std::string> paths;
  for (const auto& f : files) {
    std::error_code ec;
    if (!fs::exists(f, ec)) fail("{}: no such file", f);
    if (fs::is_directory(f, ec)) fail("{}: is a folder; use --images {}", f, f);
    paths.push_back(f);
  }
  if (!folder.empty()) {
    std::error_code ec;
    if (!fs::is_directory(folder, ec)) fail("--images {}: not a folder", folder);
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(folder)) {
      if (entry.is_regular_file() && has_image_extension(entry.path().string())) {
        found.push_back(entry.path().string());
      }
    }
    if (found.empty()) fail("--images {}: no .png, .jpg or .jpeg files in the folder", folder);
    std::sort(found.begin(), found.end());
    paths.insert(paths.end(), found.begin(), found.end());
  }
  if (paths.empty()) fail("no input images: give IMAGE files or --images DIR");
  return paths;
}

std::string file_stem(const std::string& path) { return fs::path(path).stem().string(); }

torch::Tensor image_tensor(const Image& image, int channels, int size) {
  Image source = channels == 1 ? to_gray(image) : image;
  // The same resampler as the training transforms: Pillow's antialiased bilinear, exactly.
  if (size > 0 && (source.height != size || source.width != size))
    source = data::pil_resize(source, size, size);
  auto tensor = torch::from_blob(const_cast<std::uint8_t*>(source.pixels.data()),
                                 {source.height, source.width, source.channels}, torch::kUInt8)
                    .permute({2, 0, 1})
                    .to(torch::kFloat32);
  if (channels == 3 && tensor.size(0) == 1) tensor = tensor.expand({3, -1, -1});
  return tensor.contiguous();
}

torch::Tensor load_image_tensor(const std::string& path, int channels, int size) {
  return image_tensor(read_image(path), channels, size);
}

}  // namespace ventral::training
