// `ventral data pack`: one split of any dataset written as a single HDF5 file that the
// h5: reader opens (h5_dataset.h): images uint8 N x H x W x C, labels int64 N, classes
// (strings), plus the source spec and split as attributes. Packing once at training
// resolution replaces a JPEG decode per sample and epoch by a row read.
#pragma once

#include <string>

#include "training/data/dataset.h"

namespace ventral::data {

struct PackOptions {
  /// > 0: shorter side resized to `size` (Pillow bilinear) and centre crop size x size;
  /// 0: native size, which must then be the same for every image.
  int size = 0;
  /// Decoding threads.
  int threads = 1;
  /// Written as the `source` and `split` attributes (provenance only).
  std::string source;
  std::string split;
};

struct PackSummary {
  std::size_t images = 0;
  int height = 0, width = 0, channels = 0;
};

/// Writes `dataset` to `out_path` atomically (a failure leaves no file), printing progress
/// lines on stderr. Throws Error naming the sample for an unreadable image, or for an
/// image whose size differs when options.size is 0.
PackSummary pack_dataset(const Dataset& dataset, const std::string& out_path,
                         const PackOptions& options);

}  // namespace ventral::data
