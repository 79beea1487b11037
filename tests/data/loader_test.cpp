// Loader: the same batches for a seed whatever the worker count, new order per epoch,
// drop_last, resuming mid-epoch, bounded prefetch, and corrupt samples.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <mutex>

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

// A MemoryDataset that checks each load against `limit` (given the batches the test has
// received and whether it is inside next()) and lets the test wait for a load count.
class WatchedDataset : public MemoryDataset {
 public:
  using MemoryDataset::MemoryDataset;

  Image load(std::size_t i) const override {
    if (limit && !limit(i, delivered.load(), in_next.load())) ++violations;
    Image image = MemoryDataset::load(i);
    std::lock_guard<std::mutex> lock(mutex_);
    loaded_.notify_all();
    return image;
  }

  /// Waits until `n` loads have happened; false after 30 s (a hang, not a slow machine).
  bool wait_for_loads(int n) const {
    std::unique_lock<std::mutex> lock(mutex_);
    return loaded_.wait_for(lock, std::chrono::seconds(30), [&] { return loads.load() >= n; });
  }

  /// Calls `next` (the loader's next()) with in_next set; counts a delivered batch.
  template <typename Next>
  bool deliver(Next next) {
    in_next = true;
    auto batch = next();
    if (batch) ++delivered;
    in_next = false;
    return batch.has_value();
  }

  std::function<bool(std::size_t, int, bool)> limit;
  mutable std::atomic<int> violations{0};
  std::atomic<int> delivered{0};
  std::atomic<bool> in_next{false};

 private:
  mutable std::mutex mutex_;
  mutable std::condition_variable loaded_;
};

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
  // The interface's promise: while the caller holds k delivered batches, no sample of batch
  // k + prefetch_batches or later is loaded (k + prefetch_batches + 1 during a next() call,
  // which may let the workers claim one more). Every load checks it against what the test
  // has consumed, so the test depends on no timing: waits are for loads that must happen,
  // and time out only as a guard against a hang.
  auto dataset = std::make_shared<WatchedDataset>(200, 12, 10);
  auto options = train_options(3);
  options.shuffle = false;  // sample i is in batch i / 4
  options.prefetch_batches = 2;
  const int batch = 4;
  dataset->limit = [&](std::size_t index, int delivered, bool in_next) {
    return static_cast<int>(index) / batch < delivered + options.prefetch_batches + (in_next ? 1 : 0);
  };
  Loader loader(dataset, options);
  loader.start_epoch(0);
  // Before any next(): exactly batches 0 and 1 get loaded, and nothing more can be.
  REQUIRE(dataset->wait_for_loads(2 * batch));
  CHECK(dataset->loads.load() == 2 * batch);
  REQUIRE(dataset->deliver([&] { return loader.next(); }));
  REQUIRE(dataset->wait_for_loads(3 * batch));
  CHECK(dataset->loads.load() == 3 * batch);
  // The rest of the epoch, checked load by load.
  int batches = 1;
  while (dataset->deliver([&] { return loader.next(); })) ++batches;
  CHECK(batches == 50);
  CHECK(dataset->loads.load() == 200);
  CHECK(dataset->violations.load() == 0);
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
