// One record of the released ClickMe TFRecord shards (docs/reference/data.md sec. 4): a
// tf.train.Example (parsed by libprotobuf from the vendored proto/*.proto) with
//   image    JPEG 256 x 256 x 3          (ClickMe 1.0: raw float32 H x W x 3 bytes)
//   heatmap  JPEG 256 x 256 x 1          (ClickMe 1.0: raw float32 H x W bytes)
//   label    int64
//   click_count int64 (ClickMe 1.0 only; optional)
// JPEGs are decoded as TensorFlow's decode_jpeg does by default: libjpeg-turbo's fast
// integer IDCT (JDCT_IFAST) with fancy upsampling, so the pixels equal TensorFlow's.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace ventral::alignment {

struct ClickMeRecord {
  std::vector<std::uint8_t> image;  ///< height x width x 3
  std::vector<float> heatmap;       ///< height x width, 0..255
  int height = 0, width = 0;
  std::int64_t label = 0;
  std::optional<std::int64_t> click_count;
};

/// Decodes a serialised tf.train.Example. Error naming `where` (file and record index) for a
/// payload that is not an Example, a missing or mistyped feature, an undecodable image, or a
/// heatmap whose size differs from the image's.
ClickMeRecord decode_clickme_example(const std::vector<std::uint8_t>& payload, const std::string& where);

/// Only the `label` of a serialised Example (no image decoding). Error naming `where`.
std::int64_t decode_clickme_label(const std::vector<std::uint8_t>& payload, const std::string& where);

/// An RGB (channels 3) or gray (channels 1) JPEG decoded as tf.io.decode_jpeg does by
/// default (JDCT_IFAST, fancy upsampling). Error naming `where`.
std::vector<std::uint8_t> decode_jpeg_like_tensorflow(const std::uint8_t* data, std::size_t size,
                                                      int channels, const std::string& where,
                                                      int* height, int* width);

}  // namespace ventral::alignment
