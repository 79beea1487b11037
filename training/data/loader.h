// Batches of transformed samples, decoded and augmented by worker threads ahead of the
// trainer (bounded prefetch), in an order and with augmentations that depend only on
// (seed, epoch, sample): the same batches for any worker count and any scheduling.
// Workers use plain loops, never LibTorch's intra-op pool, which the trainer needs.
#pragma once

#include <torch/types.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "training/data/dataset.h"
#include "training/data/transforms.h"

namespace ventral::data {

struct LoaderOptions {
  std::int64_t batch_size = 32;
  /// Reshuffle every epoch (order from seed and epoch); false: dataset order.
  bool shuffle = false;
  /// Drop the last, smaller batch.
  bool drop_last = false;
  std::uint64_t seed = 0;
  /// Worker threads; 0 builds each batch inside next() (no threads).
  int workers = 2;
  /// Batches built ahead of the one next() returns (at least 1).
  int prefetch_batches = 4;
  /// Training: undecodable samples are left out of their batch and listed by skipped().
  /// false (evaluation): next() throws Error naming the file.
  bool skip_corrupt = false;
  /// Also load each sample's human map (Dataset::human_map), transformed with its image,
  /// into Batch::human_maps, with tokens of 1.
  bool human_maps = false;
  TransformOptions transform;
};

struct Batch {
  torch::Tensor images;              ///< float32 (B, C, H, W)
  torch::Tensor labels;              ///< int64 (B)
  std::vector<std::size_t> indices;  ///< dataset index of each row
  /// With human maps (LoaderOptions::human_maps, or a MixedLoader): float32 (B, H, W) in
  /// [0, 1], and float32 (B) tokens, 1 for rows that have a map and 0 for rows that do not
  /// (their map is zeros). Undefined otherwise.
  torch::Tensor human_maps, tokens;
};

class Loader {
 public:
  /// Throws Error for invalid options (batch size, transform, channel counts).
  Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options);
  ~Loader();  ///< stops and joins the workers
  Loader(const Loader&) = delete;
  Loader& operator=(const Loader&) = delete;

  /// Batches per epoch: size / batch_size, rounded up unless drop_last.
  std::int64_t batches_per_epoch() const;

  /// Starts (or restarts) `epoch` at batch `first_batch` (a resumed run skips the batches
  /// it has seen). Work still running for a previous epoch is abandoned.
  void start_epoch(std::int64_t epoch, std::int64_t first_batch = 0);

  /// The next batch in order; std::nullopt at the end of the epoch. A batch whose every
  /// sample was skipped as corrupt is passed over. Rethrows a sample's Error when
  /// skip_corrupt is false.
  std::optional<Batch> next();

  /// Sources skipped as corrupt so far, over all epochs: each once, sorted.
  std::vector<std::string> skipped() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace ventral::data
