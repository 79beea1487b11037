// A labelled image dataset read from disk, chosen by a spec `KIND:PATH`:
//
//   imagefolder:ROOT (alias imagenet:ROOT)  ROOT/<split>/<class>/**/*.{jpg,jpeg,png}
//   idx:DIR                                 DIR/<split>-{images-idx3,labels-idx1}-ubyte[.gz]
//   h5:PATH                                 a file from `ventral data pack`, or PATH/<split>.h5
//                                           (or from `ventral data pathfinder`: N x H x W, one channel)
//   pathfinder:?length=14&size=64&count=N&seed=S   Pathfinder images generated in memory
//                                           (pathfinder_dataset.h); pathfinder:FILE reads as h5:
//
// Readers are immutable after opening and safe to call from many threads at once,
// which is how the Loader's workers use them.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "common/image_io.h"

namespace ventral::data {

class Dataset {
 public:
  virtual ~Dataset() = default;

  /// Number of samples.
  virtual std::size_t size() const = 0;
  /// Class index of sample i, in [0, classes().size()).
  virtual std::int64_t label(std::size_t i) const = 0;
  /// Decoded sample i (uint8 HWC) with channels() channels. Throws Error naming source(i)
  /// when the file is missing, truncated or not an image.
  virtual Image load(std::size_t i) const = 0;
  /// Where sample i comes from: a file path, or "file.h5[i]".
  virtual std::string source(std::size_t i) const = 0;
  /// Class names in label order.
  virtual const std::vector<std::string>& classes() const = 0;
  /// Channels load() returns: 1 (idx, pathfinder), 3 (imagefolder: gray and CMYK become
  /// RGB) or C (h5; 1 for 3-D images).
  virtual int channels() const = 0;

  /// The stored bytes of sample i when it is an encoded image file (imagefolder), so that
  /// transforms can decode only the region a crop needs; std::nullopt for datasets held
  /// as pixels. Throws Error naming the file when it cannot be read.
  virtual std::optional<std::vector<std::uint8_t>> encoded(std::size_t i) const { return std::nullopt; }

  /// Whether human_map() gives maps (ClickMe data).
  virtual bool has_human_maps() const { return false; }
  /// The human importance map of sample i, one channel at the size of load(i), 0..255 for
  /// the map's range (the training heatmap of alignment/clickme_map.h, quantised so that
  /// transforms treat it as an image). Error when the dataset has none.
  virtual Image human_map(std::size_t i) const;
};

struct DatasetOptions {
  /// imagefolder only: file with one class folder name per line, in label order
  /// (empty: every class folder, sorted by name).
  std::string class_map;
};

/// Opens split `split` of the dataset named by `spec` (see the file comment). Throws Error
/// naming the spec, file or folder and what was expected.
std::shared_ptr<const Dataset> open_dataset(const std::string& spec, const std::string& split,
                                            const DatasetOptions& options = {});

/// The split evaluation reads by default: "val" (imagefolder, imagenet, h5, pathfinder), "t10k" (idx).
std::string default_eval_split(const std::string& spec);

/// The kind of a spec ("imagefolder" for "imagenet:..."), and its path. Throws Error for
/// a spec without a known kind.
struct DatasetSpec {
  std::string kind;
  std::string path;
};
DatasetSpec parse_dataset_spec(const std::string& spec);

/// One kind of dataset spec (timm's reader factory: the reader is chosen by the prefix).
/// A new kind is a Dataset subclass in its own file pair plus one entry in dataset_kinds().
struct DatasetKind {
  std::string name;                  ///< the spec prefix ("idx")
  std::vector<std::string> aliases;  ///< other prefixes meaning the same ("imagenet")
  std::string usage;                 ///< the spec form for help texts ("idx:DIR")
  std::string eval_split;            ///< the split evaluation reads by default
  std::function<std::shared_ptr<const Dataset>(const DatasetSpec& spec, const std::string& full_spec,
                                               const std::string& split, const DatasetOptions& options)>
      open;
};

/// Every dataset kind, in listing order.
const std::vector<DatasetKind>& dataset_kinds();

/// "imagefolder:ROOT (alias imagenet:), idx:DIR, ...": the kinds' usage for help texts.
std::string dataset_kinds_usage();

}  // namespace ventral::data
