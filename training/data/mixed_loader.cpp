#include "training/data/mixed_loader.h"

#include <fmt/ranges.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>

#include "common/error.h"

namespace ventral::data {
namespace {

std::int64_t map_rows_of(const LoaderOptions& options, const MixOptions& mix) {
  if (!mix.maps) return 0;
  if (!(mix.fraction > 0.0 && mix.fraction < 1.0)) {
    fail("--harmonize-fraction {}: expected a share in (0, 1)", mix.fraction);
  }
  const auto rows = static_cast<std::int64_t>(std::llround(mix.fraction * options.batch_size));
  if (rows < 1 || rows >= options.batch_size) {
    fail(
        "--harmonize-fraction {} of a batch of {} leaves {} map rows and {} task rows; both must be 1 "
        "or more",
        mix.fraction, options.batch_size, rows, options.batch_size - rows);
  }
  return rows;
}

LoaderOptions with_batch_size(LoaderOptions options, std::int64_t batch_size) {
  options.batch_size = batch_size;
  return options;
}

// The map data's own streams: another order and other augmentations than the task's.
LoaderOptions map_loader_options(LoaderOptions options, std::int64_t rows, std::size_t size) {
  options.batch_size = rows;
  options.shuffle = true;
  options.drop_last = static_cast<std::int64_t>(size) >= rows;
  options.human_maps = true;
  options.seed = options.seed * 0x9E3779B97F4A7C15ULL + 0x6D617073ULL;
  return options;
}

}  // namespace

MixedLoader::MixedLoader(std::shared_ptr<const Dataset> task, LoaderOptions options, MixOptions mix)
    : map_rows_(map_rows_of(options, mix)),
      task_(std::move(task), with_batch_size(options, options.batch_size - map_rows_)) {
  task_rows_ = options.batch_size - map_rows_;
  if (mix.maps) {
    if (options.transform.img_size <= 0) {
      fail("--harmonize needs --img-size: task and ClickMe images are batched together");
    }
    const auto size = mix.maps->size();
    maps_ = std::make_unique<Loader>(std::move(mix.maps), map_loader_options(options, map_rows_, size));
  }
}

void MixedLoader::start_epoch(std::int64_t epoch, std::int64_t steps_per_epoch) {
  task_.start_epoch(epoch);
  if (!maps_) return;
  // Batch g of the whole run takes map batch g of the map data's endless cycle.
  const std::int64_t g = epoch * steps_per_epoch, per_cycle = maps_->batches_per_epoch();
  map_epoch_ = g / per_cycle;
  maps_->start_epoch(map_epoch_, g % per_cycle);
}

std::optional<Batch> MixedLoader::next() {
  auto batch = task_.next();
  if (!batch || !maps_) return batch;
  auto extra = maps_->next();
  if (!extra) {
    maps_->start_epoch(++map_epoch_);
    extra = maps_->next();
    if (!extra) fail("--harmonize: no readable image in the ClickMe data");
  }
  if (extra->images.sizes().slice(1) != batch->images.sizes().slice(1)) {
    fail("--harmonize: ClickMe images are {} after transforms, task images {}",
         fmt::join(extra->images.sizes().slice(1), "x"), fmt::join(batch->images.sizes().slice(1), "x"));
  }
  const auto task_count = batch->images.size(0);
  const auto& shape = extra->human_maps.sizes();
  Batch mixed;
  mixed.images = torch::cat({batch->images, extra->images});
  mixed.labels = torch::cat({batch->labels, extra->labels});
  mixed.human_maps = torch::cat({torch::zeros({task_count, shape[1], shape[2]}), extra->human_maps});
  mixed.tokens = torch::cat({torch::zeros({task_count}), extra->tokens});
  mixed.indices = std::move(batch->indices);
  mixed.indices.insert(mixed.indices.end(), extra->indices.begin(), extra->indices.end());
  return mixed;
}

std::vector<std::string> MixedLoader::skipped() const {
  auto all = task_.skipped();
  if (maps_) {
    for (auto& s : maps_->skipped()) all.push_back(std::move(s));
    std::sort(all.begin(), all.end());
  }
  return all;
}

}  // namespace ventral::data
