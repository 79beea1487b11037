#include "training/data/loader.h"

#include <torch/torch.h>

#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <set>
#include <thread>

#include "common/error.h"
#include "training/data/sample_random.h"

namespace ventral::data {

struct Loader::State {
  std::shared_ptr<const Dataset> dataset;
  LoaderOptions options;

  // One epoch's work: batches [next_to_deliver, end) of `order`.
  std::int64_t epoch = 0;
  std::vector<std::size_t> order;
  std::int64_t end = 0, next_to_claim = 0, next_to_deliver = 0;
  bool started = false, stopping = false;
  struct Result {
    Batch batch;
    std::exception_ptr error;
  };
  std::map<std::int64_t, Result> finished;

  mutable std::mutex mutex;
  std::condition_variable work_available, result_ready;
  std::vector<std::thread> workers;
  std::set<std::string> skipped;

  Batch build_batch(std::int64_t b);
  Image transformed_sample(std::size_t index, Image* map) const;
  void worker_loop();
  void stop_workers();
};

Loader::Loader(std::shared_ptr<const Dataset> dataset, LoaderOptions options)
    : state_(std::make_unique<State>()) {
  if (!dataset) fail("loader: no dataset");
  if (options.batch_size <= 0)
    fail("batch_size: expected a positive number, got {}", options.batch_size);
  if (options.workers < 0) fail("workers: expected 0 or more, got {}", options.workers);
  if (options.prefetch_batches < 1) {
    fail("prefetch_batches: expected 1 or more, got {}", options.prefetch_batches);
  }
  validate(options.transform);
  int have = dataset->channels(), want = options.transform.channels;
  if (have != want && !(have == 1 || have == 3)) {
    fail("{}: has {} channels; transforms convert only between 1 and 3, asked for {}",
         dataset->size() ? dataset->source(0) : "dataset", have, want);
  }
  if (options.human_maps && !dataset->has_human_maps()) {
    fail("{}: has no human importance maps (a clickme: dataset has)",
         dataset->size() ? dataset->source(0) : "dataset");
  }
  state_->dataset = std::move(dataset);
  state_->options = std::move(options);
}

Loader::~Loader() { state_->stop_workers(); }

std::int64_t Loader::batches_per_epoch() const {
  auto n = static_cast<std::int64_t>(state_->dataset->size());
  auto b = state_->options.batch_size;
  return state_->options.drop_last ? n / b : (n + b - 1) / b;
}

void Loader::State::stop_workers() {
  {
    std::lock_guard<std::mutex> lock(mutex);
    stopping = true;
  }
  work_available.notify_all();
  for (auto& worker : workers) worker.join();
  workers.clear();
}

void Loader::start_epoch(std::int64_t epoch, std::int64_t first_batch) {
  State& s = *state_;
  std::int64_t batches = batches_per_epoch();
  if (first_batch < 0 || first_batch > batches) {
    fail("loader: first batch {} is outside 0..{} (batches per epoch)", first_batch, batches);
  }
  s.stop_workers();
  std::size_t n = s.dataset->size();
  if (s.options.shuffle) {
    std::mt19937_64 rng(epoch_seed(s.options.seed, epoch));
    s.order = shuffled_indices(n, rng);
  } else {
    s.order.resize(n);
    for (std::size_t i = 0; i < n; ++i) s.order[i] = i;
  }
  s.epoch = epoch;
  s.end = batches;
  s.next_to_claim = s.next_to_deliver = first_batch;
  s.finished.clear();
  s.stopping = false;
  s.started = true;
  auto threads = std::min<std::int64_t>(s.options.workers, batches - first_batch);
  for (std::int64_t t = 0; t < threads; ++t) s.workers.emplace_back([&s] { s.worker_loop(); });
}

Image Loader::State::transformed_sample(std::size_t index, Image* map) const {
  std::mt19937_64 rng(sample_seed(options.seed, epoch, index));
  if (map) {
    auto [image, transformed_map] = transform_image_and_map(dataset->load(index),
                                                            dataset->human_map(index), options.transform,
                                                            rng, dataset->source(index));
    *map = std::move(transformed_map);
    return image;
  }
  if (auto bytes = dataset->encoded(index)) {
    return transform_encoded(bytes->data(), bytes->size(), dataset->source(index), options.transform,
                             rng);
  }
  return transform_image(dataset->load(index), options.transform, rng);
}

Batch Loader::State::build_batch(std::int64_t b) {
  auto begin = static_cast<std::size_t>(b * options.batch_size);
  auto end_index = std::min(order.size(), begin + static_cast<std::size_t>(options.batch_size));
  std::vector<Image> images, maps;
  Batch batch;
  for (std::size_t k = begin; k < end_index; ++k) {
    std::size_t index = order[k];
    try {
      Image map;
      images.push_back(transformed_sample(index, options.human_maps ? &map : nullptr));
      if (options.human_maps) maps.push_back(std::move(map));
    } catch (const Error&) {
      if (!options.skip_corrupt) throw;
      std::lock_guard<std::mutex> lock(mutex);
      skipped.insert(dataset->source(index));
      continue;
    }
    batch.indices.push_back(index);
  }
  auto count = static_cast<std::int64_t>(images.size());
  batch.labels = torch::empty({count}, torch::kInt64);
  std::int64_t* labels = batch.labels.data_ptr<std::int64_t>();
  if (images.empty()) return batch;
  const Image& first = images.front();
  batch.images = torch::empty({count, first.channels, first.height, first.width}, torch::kFloat32);
  float* out = batch.images.data_ptr<float>();
  const std::size_t per_image = static_cast<std::size_t>(first.channels) * first.height * first.width;
  for (std::int64_t k = 0; k < count; ++k) {
    const Image& image = images[k];
    if (image.height != first.height || image.width != first.width) {
      fail(
          "{}: is {}x{} after transforms, but {} is {}x{}; set an image size to batch images "
          "of different sizes",
          dataset->source(batch.indices[k]), image.width, image.height,
          dataset->source(batch.indices[0]), first.width, first.height);
    }
    normalise_into(image, options.transform, out + k * per_image);
    labels[k] = dataset->label(batch.indices[k]);
  }
  if (options.human_maps) {
    batch.human_maps = torch::empty({count, first.height, first.width}, torch::kFloat32);
    float* map_out = batch.human_maps.data_ptr<float>();
    const std::size_t plane = static_cast<std::size_t>(first.height) * first.width;
    for (std::int64_t k = 0; k < count; ++k) {
      const auto& pixels = maps[k].pixels;
      for (std::size_t i = 0; i < plane; ++i) map_out[k * plane + i] = pixels[i] / 255.0f;
    }
    batch.tokens = torch::ones({count}, torch::kFloat32);
  }
  return batch;
}

void Loader::State::worker_loop() {
  std::unique_lock<std::mutex> lock(mutex);
  for (;;) {
    work_available.wait(lock, [&] {
      return stopping ||
             (next_to_claim < end && next_to_claim < next_to_deliver + options.prefetch_batches);
    });
    if (stopping) return;
    std::int64_t b = next_to_claim++;
    lock.unlock();
    Result result;
    try {
      result.batch = build_batch(b);
    } catch (...) {
      result.error = std::current_exception();
    }
    lock.lock();
    finished[b] = std::move(result);
    result_ready.notify_all();
  }
}

std::optional<Batch> Loader::next() {
  State& s = *state_;
  if (!s.started) throw std::logic_error("Loader::next called before start_epoch");
  for (;;) {
    State::Result result;
    {
      std::unique_lock<std::mutex> lock(s.mutex);
      if (s.next_to_deliver >= s.end) return std::nullopt;
      std::int64_t b = s.next_to_deliver;
      ++s.next_to_deliver;
      if (s.workers.empty()) {
        lock.unlock();  // no workers: build the batch here
        try {
          result.batch = s.build_batch(b);
        } catch (...) {
          result.error = std::current_exception();
        }
      } else {
        s.result_ready.wait(lock, [&] { return s.finished.count(b) > 0; });
        result = std::move(s.finished[b]);
        s.finished.erase(b);
      }
    }
    s.work_available.notify_all();
    if (result.error) std::rethrow_exception(result.error);
    if (!result.batch.indices.empty()) return std::move(result.batch);
  }
}

std::vector<std::string> Loader::skipped() const {
  std::lock_guard<std::mutex> lock(state_->mutex);
  return {state_->skipped.begin(), state_->skipped.end()};
}

}  // namespace ventral::data
