// Loader: the same batches for a seed whatever the worker count, new order per epoch,
// drop_last, resuming mid-epoch, bounded prefetch, and corrupt samples.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <chrono>
#include <thread>

#include "tests/data/data_fixtures.h"
#include "training/data/loader.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::MemoryDataset;

namespace {

LoaderOptions train_options(int workers) {
  LoaderOptions o;
  o.batch_size = 4;
  o.shuffle = true;
  o.seed = 17;
  o.workers = workers;
  o.transform.train = true;
  o.transform.img_size = 8;
  return o;
}

std::vector<Batch> epoch(Loader& loader, std::int64_t e, std::int64_t first_batch = 0) {
  loader.start_epoch(e, first_batch);
  std::vector<Batch> batches;
  while (auto batch = loader.next()) batches.push_back(std::move(*batch));
  return batches;
}

bool same(const std::vector<Batch>& a, const std::vector<Batch>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t k = 0; k < a.size(); ++k) {
    if (a[k].indices != b[k].indices || !torch::equal(a[k].images, b[k].images) ||
        !torch::equal(a[k].labels, b[k].labels)) {
      return false;
    }
  }
  return true;
}

}  // namespace

TEST_CASE("loader: same seed, same batches for 0, 1 and 3 workers", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(18, 12, 10);
  Loader reference(dataset, train_options(0));
  auto expected = epoch(reference, 0);
  REQUIRE(expected.size() == 5);  // 18 / 4 rounded up
  CHECK(expected.back().indices.size() == 2);
  CHECK(expected[0].images.sizes() == torch::IntArrayRef({4, 3, 8, 8}));
  CHECK(expected[0].labels.dtype() == torch::kInt64);
  std::vector<std::size_t> seen;
  for (const auto& b : expected) {
    seen.insert(seen.end(), b.indices.begin(), b.indices.end());
    for (std::size_t k = 0; k < b.indices.size(); ++k) {
      CHECK(b.labels[k].item<std::int64_t>() == dataset->label(b.indices[k]));
    }
  }
  std::sort(seen.begin(), seen.end());
  for (std::size_t i = 0; i < 18; ++i) CHECK(seen[i] == i);
  for (int workers : {1, 3}) {
    for (int run = 0; run < 2; ++run) {
      Loader loader(dataset, train_options(workers));
      INFO("workers " << workers << " run " << run);
      CHECK(same(epoch(loader, 0), expected));
    }
  }
}

TEST_CASE("loader: order and augmentation change with epoch and seed, not otherwise", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(16, 12, 10);
  Loader loader(dataset, train_options(2));
  auto e0 = epoch(loader, 0), e1 = epoch(loader, 1), e0_again = epoch(loader, 0);
  CHECK(same(e0, e0_again));
  CHECK(e0[0].indices != e1[0].indices);
  auto other_seed = train_options(2);
  other_seed.seed = 18;
  Loader other(dataset, other_seed);
  CHECK(!same(epoch(other, 0), e0));
  // Without shuffling the order is the dataset's; augmentations still differ per epoch.
  auto fixed = train_options(2);
  fixed.shuffle = false;
  Loader ordered(dataset, fixed);
  auto f0 = epoch(ordered, 0), f1 = epoch(ordered, 1);
  CHECK(f0[1].indices == std::vector<std::size_t>{4, 5, 6, 7});
  CHECK(f0[1].indices == f1[1].indices);
  CHECK(!torch::equal(f0[1].images, f1[1].images));
}

TEST_CASE("loader: drop_last, and resuming at a batch gives the rest of the same epoch", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(18, 12, 10);
  auto options = train_options(2);
  options.drop_last = true;
  Loader loader(dataset, options);
  CHECK(loader.batches_per_epoch() == 4);
  auto full = epoch(loader, 3);
  REQUIRE(full.size() == 4);
  auto resumed = epoch(loader, 3, 2);
  REQUIRE(resumed.size() == 2);
  CHECK(same({full[2], full[3]}, resumed));
  CHECK(epoch(loader, 3, 4).empty());
  CHECK_THROWS_WITH(loader.start_epoch(0, 5), Catch::Contains("first batch 5"));
}

TEST_CASE("loader: workers stay at most prefetch_batches ahead", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(200, 12, 10);
  auto options = train_options(3);
  options.prefetch_batches = 2;
  Loader loader(dataset, options);
  loader.start_epoch(0);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(dataset->loads.load() == 2 * 4);
  loader.next();
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(dataset->loads.load() == 3 * 4);
}

TEST_CASE("loader: training skips corrupt samples and lists them; eval throws naming them", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(12, 12, 10, std::set<std::size_t>{5, 8, 9, 10, 11});
  auto options = train_options(2);
  options.shuffle = false;
  options.skip_corrupt = true;
  Loader train(dataset, options);
  auto batches = epoch(train, 0);
  REQUIRE(batches.size() == 2);  // the last batch was all corrupt and is passed over
  CHECK(batches[1].indices == std::vector<std::size_t>{4, 6, 7});
  CHECK(batches[1].images.size(0) == 3);
  CHECK(train.skipped() == std::vector<std::string>{"memory/10.jpg", "memory/11.jpg", "memory/5.jpg",
                                                    "memory/8.jpg", "memory/9.jpg"});
  epoch(train, 1);
  CHECK(train.skipped().size() == 5);  // each source once

  for (int workers : {0, 2}) {
    auto eval_options = options;
    eval_options.skip_corrupt = false;
    eval_options.workers = workers;
    eval_options.transform.train = false;
    Loader eval(dataset, eval_options);
    eval.start_epoch(0);
    CHECK(eval.next().has_value());
    CHECK_THROWS_WITH(eval.next(), Catch::Contains("memory/5.jpg"));
  }
}

TEST_CASE("loader: options are checked", "[data]") {
  auto dataset = std::make_shared<MemoryDataset>(4, 12, 10);
  auto options = train_options(0);
  options.batch_size = 0;
  CHECK_THROWS_WITH(Loader(dataset, options), Catch::Contains("batch_size"));
  options = train_options(0);
  options.transform.mean = {1, 2};
  CHECK_THROWS_WITH(Loader(dataset, options), Catch::Contains("mean"));
}
