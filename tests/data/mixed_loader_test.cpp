// MixedLoader: harmonization batches (task rows with token 0, then ClickMe rows with token 1
// and their maps moved by the same crop and flip as their images), the map data's endless
// cycle, and determinism across worker counts and restarts (resume).
#include <catch2/catch.hpp>

#include "common/error.h"
#include "tests/data/data_fixtures.h"
#include "training/data/mixed_loader.h"

using namespace ventral;
using ventral::testing::MemoryDataset;

namespace {

// A dataset with human maps: the map of a sample is its image's first channel, so a map
// transformed with its image must stay equal to that channel.
class MapDataset : public MemoryDataset {
 public:
  using MemoryDataset::MemoryDataset;
  bool has_human_maps() const override { return true; }
  Image human_map(std::size_t i) const override {
    const Image image = load(i);
    Image map{image.height, image.width, 1, {}};
    for (std::size_t p = 0; p < image.pixels.size(); p += 3) map.pixels.push_back(image.pixels[p]);
    return map;
  }
};

data::LoaderOptions options(int workers) {
  data::LoaderOptions o;
  o.batch_size = 10;
  o.shuffle = true;
  o.drop_last = true;
  o.seed = 7;
  o.workers = workers;
  o.transform.img_size = 8;
  o.transform.train = true;
  o.transform.mean = {0.0f};
  o.transform.std = {1.0f};
  return o;
}

struct Seen {
  std::vector<std::vector<std::size_t>> indices;
  std::vector<torch::Tensor> images;
};

Seen epochs(data::MixedLoader& loader, std::int64_t first, std::int64_t last, std::int64_t steps) {
  Seen seen;
  for (std::int64_t e = first; e < last; ++e) {
    loader.start_epoch(e, steps);
    while (auto batch = loader.next()) {
      seen.indices.push_back(batch->indices);
      seen.images.push_back(batch->images);
    }
  }
  return seen;
}

}  // namespace

TEST_CASE("MixedLoader: task rows then map rows, tokens, maps moved with their images", "[data]") {
  auto task = std::make_shared<MemoryDataset>(40, 12, 16);
  auto maps = std::make_shared<MapDataset>(6, 12, 16);
  data::MixedLoader loader(task, options(2), {maps, 0.3});
  REQUIRE(loader.task_rows() == 7);
  REQUIRE(loader.map_rows() == 3);
  loader.start_epoch(0, loader.batches_per_epoch());
  int batches = 0;
  while (auto batch = loader.next()) {
    ++batches;
    REQUIRE(batch->images.sizes() == torch::IntArrayRef({10, 3, 8, 8}));
    REQUIRE(batch->human_maps.sizes() == torch::IntArrayRef({10, 8, 8}));
    REQUIRE(batch->tokens.sizes() == torch::IntArrayRef({10}));
    for (int k = 0; k < 10; ++k) {
      const bool map_row = k >= 7;
      CHECK(batch->tokens[k].item<float>() == (map_row ? 1.0f : 0.0f));
      if (map_row) {
        // the crop, resize and flip of the image moved the map identically
        CHECK(torch::equal(batch->human_maps[k], batch->images[k][0]));
        CHECK(batch->labels[k].item<int64_t>() == static_cast<int64_t>(batch->indices[k] % 3));
      } else {
        CHECK(batch->human_maps[k].abs().sum().item<float>() == 0.0f);
      }
    }
  }
  CHECK(batches == 5);  // the task data sets the epoch: 40 images / 7 rows, drop_last
}

TEST_CASE("MixedLoader: the map data cycles; same batches for any workers and after a restart",
          "[data]") {
  auto task = std::make_shared<MemoryDataset>(40, 12, 16);
  auto maps = std::make_shared<MapDataset>(9, 12, 16);  // 3 map batches per cycle
  data::MixedLoader serial(task, options(0), {maps, 0.3});
  data::MixedLoader threaded(task, options(2), {maps, 0.3});
  const std::int64_t steps = serial.batches_per_epoch();
  const Seen a = epochs(serial, 0, 3, steps);
  const Seen b = epochs(threaded, 0, 3, steps);
  REQUIRE(a.indices == b.indices);
  for (std::size_t k = 0; k < a.images.size(); ++k) REQUIRE(torch::equal(a.images[k], b.images[k]));
  // 15 batches drew 15 map batches, 5 cycles: each map sample 5 times, reshuffled every cycle
  std::map<std::size_t, int> uses;
  for (const auto& rows : a.indices)
    for (std::size_t k = 7; k < rows.size(); ++k) ++uses[rows[k]];
  REQUIRE(uses.size() == 9);
  for (const auto& [index, count] : uses) CHECK(count == 5);
  // a fresh loader started at epoch 2 (a resumed run) sees the batches epoch 2 saw
  data::MixedLoader restarted(task, options(2), {maps, 0.3});
  const Seen c = epochs(restarted, 2, 3, steps);
  const std::size_t offset = a.indices.size() - c.indices.size();
  for (std::size_t k = 0; k < c.indices.size(); ++k) {
    REQUIRE(c.indices[k] == a.indices[offset + k]);
    REQUIRE(torch::equal(c.images[k], a.images[offset + k]));
  }
}

TEST_CASE("MixedLoader: without map data it is the task's loader; bad mixes are refused", "[data]") {
  auto task = std::make_shared<MemoryDataset>(20, 12, 16);
  data::MixedLoader plain(task, options(0));
  plain.start_epoch(0, plain.batches_per_epoch());
  auto batch = plain.next();
  REQUIRE(batch);
  CHECK(batch->images.size(0) == 10);
  CHECK_FALSE(batch->tokens.defined());

  auto maps = std::make_shared<MapDataset>(6, 12, 16);
  CHECK_THROWS_WITH(data::MixedLoader(task, options(0), {maps, 0.0}), Catch::Contains("(0, 1)"));
  CHECK_THROWS_WITH(data::MixedLoader(task, options(0), {maps, 1.0}), Catch::Contains("(0, 1)"));
  CHECK_THROWS_WITH(data::MixedLoader(task, options(0), {maps, 0.02}), Catch::Contains("0 map rows"));
  auto unsized = options(0);
  unsized.transform.img_size = 0;
  CHECK_THROWS_WITH(data::MixedLoader(task, unsized, {maps, 0.3}), Catch::Contains("--img-size"));
  auto no_maps = std::make_shared<MemoryDataset>(6, 12, 16);
  CHECK_THROWS_WITH(data::MixedLoader(task, options(0), {no_maps, 0.3}),
                    Catch::Contains("no human importance maps"));
}
