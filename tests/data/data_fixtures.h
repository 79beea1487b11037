// Shared helpers of the training/data tests: temp folders, JPEG and IDX writers, an
// in-memory dataset, and a runner for the Pillow/torchvision reference script.
#pragma once

#include <turbojpeg.h>
#include <zlib.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "common/error.h"
#include "common/image_io.h"
#include "tests/test_paths.h"
#include "training/data/dataset.h"

namespace ventral::testing {

/// A fresh, empty folder under the temp folder, removed when the object goes.
class TempFolder {
 public:
  explicit TempFolder(const std::string& name) : path_(temp_path(name)) {
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~TempFolder() { std::filesystem::remove_all(path_); }
  std::string operator/(const std::string& child) const { return path_ + "/" + child; }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

inline std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

inline void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream(path, std::ios::binary)
      .write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

/// JPEG bytes of a gray, RGB or CMYK (channels 4) image; subsampling TJSAMP_*.
inline std::vector<std::uint8_t> encode_jpeg(const std::uint8_t* pixels, int width, int height,
                                             int channels, int quality, int subsampling) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  int format = channels == 1 ? TJPF_GRAY : (channels == 4 ? TJPF_CMYK : TJPF_RGB);
  if (channels == 1) subsampling = TJSAMP_GRAY;
  tjCompress2(handle, pixels, width, 0, height, format, &buffer, &size, subsampling, quality, 0);
  std::vector<std::uint8_t> bytes(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return bytes;
}

inline std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality = 90,
                                             int subsampling = TJSAMP_420) {
  return encode_jpeg(image.pixels.data(), image.width, image.height, image.channels, quality,
                     subsampling);
}

/// One of the reference photographs shipped in data/hmax_reference/images.
inline Image photo(const std::string& name) {
  return read_image(data_path("hmax_reference/images/" + name));
}

/// A colour photograph: the reference photographs are gray, so the red, green and blue
/// planes come from three of them (chelsea, coffee, rocket), cropped to 451 x 300.
inline Image colour_photo() {
  Image planes[3] = {photo("chelsea.png"), photo("coffee.png"), photo("rocket.png")};
  Image rgb{300, 451, 3, {}};
  for (int y = 0; y < 300; ++y) {
    for (int x = 0; x < 451; ++x) {
      for (const auto& plane : planes) rgb.pixels.push_back(plane.pixels[y * plane.width + x]);
    }
  }
  return rgb;
}

/// An IDX file: big-endian magic and dims, then bytes; gzip when `gz`.
inline void write_idx(const std::string& path, std::uint32_t magic,
                      const std::vector<std::uint32_t>& dims, const std::vector<std::uint8_t>& data,
                      bool gz) {
  std::vector<std::uint8_t> bytes;
  auto put = [&](std::uint32_t v) {
    for (int s = 24; s >= 0; s -= 8) bytes.push_back(static_cast<std::uint8_t>(v >> s));
  };
  put(magic);
  for (auto d : dims) put(d);
  bytes.insert(bytes.end(), data.begin(), data.end());
  if (!gz) return write_bytes(path, bytes);
  gzFile file = gzopen(path.c_str(), "wb");
  gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size()));
  gzclose(file);
}

/// A dataset of small synthetic images held in memory; `corrupt` indices throw Error like
/// an undecodable file; `loads` counts load() calls.
class MemoryDataset : public data::Dataset {
 public:
  MemoryDataset(std::size_t n, int height, int width, std::set<std::size_t> corrupt = {})
      : n_(n), height_(height), width_(width), corrupt_(std::move(corrupt)), classes_{"a", "b", "c"} {}
  std::size_t size() const override { return n_; }
  std::int64_t label(std::size_t i) const override { return static_cast<std::int64_t>(i % 3); }
  Image load(std::size_t i) const override {
    ++loads;
    if (corrupt_.count(i)) fail("{}: corrupt JPEG (test)", source(i));
    Image image{height_, width_, 3, {}};
    for (int p = 0; p < height_ * width_ * 3; ++p) {
      image.pixels.push_back(static_cast<std::uint8_t>((i * 37 + p * 11) % 256));
    }
    return image;
  }
  std::string source(std::size_t i) const override { return "memory/" + std::to_string(i) + ".jpg"; }
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 3; }
  mutable std::atomic<int> loads{0};

 private:
  std::size_t n_;
  int height_, width_;
  std::set<std::size_t> corrupt_;
  std::vector<std::string> classes_;
};

/// Runs tests/data/pil_reference.py on a jobs file (one `OP IN OUT ARGS...` per line).
inline void run_pil_reference(const std::string& jobs_path) {
  std::string command = std::string(VENTRAL_PYTHON) + " " + VENTRAL_SOURCE_DIR +
                        "/tests/data/pil_reference.py " + jobs_path;
  if (std::system(command.c_str()) != 0) throw std::runtime_error("failed: " + command);
}

/// Largest absolute difference of two images of equal shape (-1 when shapes differ).
inline int max_abs_diff(const Image& a, const Image& b) {
  if (a.width != b.width || a.height != b.height || a.channels != b.channels) return -1;
  int worst = 0;
  for (std::size_t i = 0; i < a.pixels.size(); ++i) {
    worst = std::max(worst, std::abs(int(a.pixels[i]) - int(b.pixels[i])));
  }
  return worst;
}

}  // namespace ventral::testing
