#include "training/data/idx_dataset.h"

#include <zlib.h>

#include <algorithm>
#include <filesystem>

#include "common/error.h"

namespace ventral::data {
namespace {

// zlib's gz* functions read gzip and plain files alike.
class GzReader {
 public:
  explicit GzReader(const std::string& path) : path_(path), file_(gzopen(path.c_str(), "rb")) {
    if (!file_) fail("{}: cannot open the file", path);
    gzbuffer(file_, 1 << 17);
  }
  ~GzReader() { gzclose(file_); }
  GzReader(const GzReader&) = delete;
  GzReader& operator=(const GzReader&) = delete;

  // Reads exactly `size` bytes; `what` names the part for the message.
  void read(void* out, std::size_t size, const char* what) {
    auto* bytes = static_cast<std::uint8_t*>(out);
    std::size_t done = 0;
    while (done < size) {
      unsigned chunk = static_cast<unsigned>(std::min<std::size_t>(size - done, 1u << 30));
      int got = gzread(file_, bytes + done, chunk);
      if (got < 0) {
        int code = 0;
        fail("{}: corrupt gzip data while reading the {} ({})", path_, what, gzerror(file_, &code));
      }
      if (got == 0) {
        fail("{}: file is truncated: expected {} bytes of {}, got {}", path_, size, what, done);
      }
      done += static_cast<std::size_t>(got);
    }
  }

 private:
  std::string path_;
  gzFile file_;
};

std::uint32_t big_endian_u32(const std::uint8_t* b) {
  return (std::uint32_t{b[0]} << 24) | (std::uint32_t{b[1]} << 16) | (std::uint32_t{b[2]} << 8) |
         std::uint32_t{b[3]};
}

// DIR/NAME, or DIR/NAME.gz when only the gzipped file exists.
std::string find_idx_file(const std::string& folder, const std::string& name) {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path plain = fs::path(folder) / name;
  if (fs::is_regular_file(plain, ec)) return plain.string();
  fs::path gz = fs::path(folder) / (name + ".gz");
  if (fs::is_regular_file(gz, ec)) return gz.string();
  if (!fs::is_directory(folder, ec)) fail("idx {}: no such folder", folder);
  fail("idx {}: no {} or {}.gz (splits are named like train, t10k)", folder, plain.string(),
       plain.string());
}

}  // namespace

IdxArray read_idx_file(const std::string& path, std::uint32_t expected_magic) {
  GzReader reader(path);
  std::uint8_t header[4];
  reader.read(header, 4, "magic number");
  std::uint32_t magic = big_endian_u32(header);
  if (magic != expected_magic) {
    fail("{}: not an IDX {} file: magic 0x{:08x}, expected 0x{:08x}", path,
         expected_magic == 0x803 ? "images" : "labels", magic, expected_magic);
  }
  IdxArray array;
  std::size_t count = 1;
  for (std::uint32_t d = 0; d < (magic & 0xff); ++d) {
    reader.read(header, 4, "dimensions");
    std::uint32_t dim = big_endian_u32(header);
    if (dim == 0 || dim > (1u << 30)) fail("{}: dimension {} is {}, expected 1..2^30", path, d, dim);
    array.dims.push_back(dim);
    count *= dim;
  }
  array.data.resize(count);
  reader.read(array.data.data(), count, "data");
  return array;
}

IdxDataset::IdxDataset(const std::string& folder, const std::string& split) {
  images_path_ = find_idx_file(folder, split + "-images-idx3-ubyte");
  std::string labels_path = find_idx_file(folder, split + "-labels-idx1-ubyte");
  auto images = read_idx_file(images_path_, 0x00000803);
  auto labels = read_idx_file(labels_path, 0x00000801);
  if (images.dims[0] != labels.dims[0]) {
    fail("{}: {} labels, but {} has {} images", labels_path, labels.dims[0], images_path_,
         images.dims[0]);
  }
  height_ = static_cast<int>(images.dims[1]);
  width_ = static_cast<int>(images.dims[2]);
  pixels_ = std::move(images.data);
  labels_.assign(labels.data.begin(), labels.data.end());
  std::int64_t max_label = *std::max_element(labels_.begin(), labels_.end());
  for (std::int64_t c = 0; c <= max_label; ++c) classes_.push_back(std::to_string(c));
}

Image IdxDataset::load(std::size_t i) const {
  if (i >= labels_.size())
    fail("{}: sample {} out of range ({} images)", images_path_, i, labels_.size());
  Image image{height_, width_, 1, {}};
  std::size_t n = static_cast<std::size_t>(height_) * width_;
  image.pixels.assign(pixels_.begin() + i * n, pixels_.begin() + (i + 1) * n);
  return image;
}

std::string IdxDataset::source(std::size_t i) const { return fmt::format("{}[{}]", images_path_, i); }

}  // namespace ventral::data
