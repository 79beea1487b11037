#include "alignment/clickme_example.h"

#include <turbojpeg.h>

#include <cmath>
#include <cstring>
#include <memory>

#include "common/error.h"
#include "example.pb.h"  // generated from proto/example.proto

namespace ventral::alignment {
namespace {

const tensorflow::Feature& feature(const tensorflow::Example& example, const std::string& name,
                                   const std::string& where) {
  const auto& map = example.features().feature();
  const auto it = map.find(name);
  if (it == map.end())
    fail("{}: no '{}' feature (a ClickMe record has image, heatmap and label)", where, name);
  return it->second;
}

const std::string& single_bytes(const tensorflow::Example& example, const std::string& name,
                                const std::string& where) {
  const auto& f = feature(example, name, where);
  if (!f.has_bytes_list() || f.bytes_list().value_size() != 1)
    fail("{}: feature '{}' is not one bytes value", where, name);
  return f.bytes_list().value(0);
}

std::int64_t single_int64(const tensorflow::Example& example, const std::string& name,
                          const std::string& where) {
  const auto& f = feature(example, name, where);
  if (!f.has_int64_list() || f.int64_list().value_size() != 1)
    fail("{}: feature '{}' is not one int64 value", where, name);
  return f.int64_list().value(0);
}

bool is_jpeg(const std::string& bytes) {
  return bytes.size() >= 3 && static_cast<unsigned char>(bytes[0]) == 0xFF &&
         static_cast<unsigned char>(bytes[1]) == 0xD8 && static_cast<unsigned char>(bytes[2]) == 0xFF;
}

// ClickMe 1.0's raw float32 arrays: `channels` planes interleaved, square.
std::vector<float> raw_floats(const std::string& bytes, int channels, const std::string& name,
                              const std::string& where, int* side) {
  const std::size_t values = bytes.size() / sizeof(float);
  const auto s = static_cast<std::size_t>(
      std::llround(std::sqrt(static_cast<double>(values) / channels)));
  if (bytes.size() % sizeof(float) != 0 || s == 0 || s * s * channels != values)
    fail("{}: feature '{}' is neither a JPEG nor a square float32 array of {} channel(s) ({} bytes)",
         where, name, channels, bytes.size());
  std::vector<float> out(values);
  std::memcpy(out.data(), bytes.data(), bytes.size());
  *side = static_cast<int>(s);
  return out;
}

struct TjDeleter {
  void operator()(void* h) const { tjDestroy(h); }
};

}  // namespace

std::vector<std::uint8_t> decode_jpeg_like_tensorflow(const std::uint8_t* data, std::size_t size,
                                                      int channels, const std::string& where,
                                                      int* height, int* width) {
  std::unique_ptr<void, TjDeleter> handle(tjInitDecompress());
  int w = 0, h = 0, subsampling = 0, colorspace = 0;
  auto* bytes = const_cast<unsigned char*>(data);
  const auto length = static_cast<unsigned long>(size);
  if (tjDecompressHeader3(handle.get(), bytes, length, &w, &h, &subsampling, &colorspace) != 0 ||
      w <= 0 || h <= 0)
    fail("{}: not a readable JPEG ({})", where, tjGetErrorStr2(handle.get()));
  std::vector<std::uint8_t> pixels(static_cast<std::size_t>(w) * h * channels);
  // TJFLAG_FASTDCT selects JDCT_IFAST, TensorFlow's default dct_method; fancy upsampling stays on.
  if (tjDecompress2(handle.get(), bytes, length, pixels.data(), w, 0, h,
                    channels == 1 ? TJPF_GRAY : TJPF_RGB, TJFLAG_FASTDCT) != 0 &&
      tjGetErrorCode(handle.get()) == TJERR_FATAL)
    fail("{}: cannot decode the JPEG ({})", where, tjGetErrorStr2(handle.get()));
  *height = h;
  *width = w;
  return pixels;
}

std::int64_t decode_clickme_label(const std::vector<std::uint8_t>& payload, const std::string& where) {
  tensorflow::Example example;
  if (!example.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    fail("{}: the record is not a tf.train.Example", where);
  return single_int64(example, "label", where);
}

ClickMeRecord decode_clickme_example(const std::vector<std::uint8_t>& payload,
                                     const std::string& where) {
  tensorflow::Example example;
  if (!example.ParseFromArray(payload.data(), static_cast<int>(payload.size())))
    fail("{}: the record is not a tf.train.Example", where);
  ClickMeRecord r;
  const std::string& image = single_bytes(example, "image", where);
  const std::string& heatmap = single_bytes(example, "heatmap", where);
  r.label = single_int64(example, "label", where);
  if (example.features().feature().count("click_count"))
    r.click_count = single_int64(example, "click_count", where);

  if (is_jpeg(image)) {
    r.image = decode_jpeg_like_tensorflow(reinterpret_cast<const std::uint8_t*>(image.data()),
                                          image.size(), 3, where + " image", &r.height, &r.width);
  } else {
    int side = 0;
    const auto values = raw_floats(image, 3, "image", where, &side);
    r.height = r.width = side;
    r.image.resize(values.size());
    for (std::size_t i = 0; i < values.size(); ++i)
      r.image[i] = static_cast<std::uint8_t>(std::lround(std::min(255.0f, std::max(0.0f, values[i]))));
  }
  int map_h = 0, map_w = 0;
  if (is_jpeg(heatmap)) {
    const auto pixels = decode_jpeg_like_tensorflow(reinterpret_cast<const std::uint8_t*>(
                                                        heatmap.data()),
                                                    heatmap.size(), 1, where + " heatmap", &map_h,
                                                    &map_w);
    r.heatmap.assign(pixels.begin(), pixels.end());
  } else {
    int side = 0;
    r.heatmap = raw_floats(heatmap, 1, "heatmap", where, &side);
    map_h = map_w = side;
  }
  if (map_h != r.height || map_w != r.width)
    fail("{}: heatmap is {}x{}, the image {}x{}; expected the same size", where, map_w, map_h, r.width,
         r.height);
  return r;
}

}  // namespace ventral::alignment
