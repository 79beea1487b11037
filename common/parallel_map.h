// A parallel map over indices on plain std::threads: f(0), ..., f(n - 1) on k threads (the
// caller's among them), results in index order. Plain threads, not LibTorch's intra-op
// pool or OpenMP, so that it can run inside code that itself uses those (a trainer's
// loader, a dataset built while a model runs) and so that common/ needs no LibTorch.
//
// Indices are claimed in increasing order from one counter, so which thread runs an index
// never shows in the results. After an f(i) throws, no further index is started; the
// indices already running finish. The exception rethrown on the caller's thread, after
// every thread is joined, is the one of the lowest failing index: for an f that depends
// only on its index, the same one a sequential loop would throw.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <type_traits>
#include <vector>

namespace ventral {

/// Runs f(i) for every i in [0, n) on max(1, min(threads, n)) threads (the calling thread
/// is one of them) and returns the results, results[i] = f(i). The result type must be
/// default-constructible and not bool (std::vector<bool> elements are not separately
/// writable from threads). Rethrows the exception of the lowest failing index after all
/// threads have joined.
template <typename F>
auto parallel_map(std::size_t n, int threads, F&& f)
    -> std::vector<std::invoke_result_t<F&, std::size_t>> {
  using Result = std::invoke_result_t<F&, std::size_t>;
  static_assert(!std::is_same_v<Result, bool>, "parallel_map: return char or int instead of bool");
  std::vector<Result> results(n);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> failed{false};
  std::mutex error_mutex;
  std::size_t error_index = n;
  std::exception_ptr error;
  auto record = [&](std::size_t i, std::exception_ptr e) {
    std::lock_guard<std::mutex> lock(error_mutex);
    if (i < error_index) error_index = i, error = std::move(e);
    failed = true;
  };
  auto work = [&] {
    // Check, then claim: a claimed index always runs, so every index below a failing one
    // has run when the threads are joined.
    while (!failed) {
      const std::size_t i = next++;
      if (i >= n) return;
      try {
        results[i] = f(i);
      } catch (...) {
        record(i, std::current_exception());
      }
    }
  };
  const std::size_t count = std::min<std::size_t>(n, static_cast<std::size_t>(std::max(1, threads)));
  std::vector<std::thread> pool;
  try {
    for (std::size_t t = 1; t < count; ++t) pool.emplace_back(work);
  } catch (...) {
    // A thread that could not start: stop the others before their join, then report it.
    failed = true;
    for (auto& thread : pool) thread.join();
    throw;
  }
  work();
  for (auto& thread : pool) thread.join();
  if (error) std::rethrow_exception(error);
  return results;
}

}  // namespace ventral
