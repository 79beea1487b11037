// Training batches that mix two datasets in a fixed proportion, as the neural harmonizer
// trains (scoring.md sec. 2.3: ClickMe with its human maps, token 1, among the task's
// images, token 0). Every batch holds round(fraction * batch_size) rows of the map data
// after the task rows; the task data sets the epoch, and the map data cycles through its
// own shuffled epochs. Both orders depend only on (seed, position), so a resumed run sees
// the batches it would have seen. Without map data it is the task's Loader.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "training/data/loader.h"

namespace ventral::data {

struct MixOptions {
  /// Dataset with human maps (Dataset::has_human_maps); null: plain batches.
  std::shared_ptr<const Dataset> maps;
  /// Share of every batch taken from `maps`, in (0, 1).
  double fraction = 0.2;
};

class MixedLoader {
 public:
  /// Throws Error when the fraction leaves either part of a batch empty, or for the
  /// Loader's reasons. `options` is the task loader's (batch size = the whole batch).
  MixedLoader(std::shared_ptr<const Dataset> task, LoaderOptions options, MixOptions mix = {});

  /// Rows of each batch from the task data and from the map data.
  std::int64_t task_rows() const { return task_rows_; }
  std::int64_t map_rows() const { return map_rows_; }

  /// Batches per epoch of the task data.
  std::int64_t batches_per_epoch() const { return task_.batches_per_epoch(); }

  /// Starts `epoch`; `steps_per_epoch` is how many batches every epoch uses (for where the
  /// map data's cycle stands).
  void start_epoch(std::int64_t epoch, std::int64_t steps_per_epoch);

  /// The next batch; std::nullopt at the end of the task's epoch.
  std::optional<Batch> next();

  /// Sources skipped as corrupt, from both datasets.
  std::vector<std::string> skipped() const;

 private:
  std::int64_t task_rows_ = 0, map_rows_ = 0;
  Loader task_;
  std::unique_ptr<Loader> maps_;
  std::int64_t map_epoch_ = 0;
};

}  // namespace ventral::data
