// common/parallel_map.h: every index once, results by index, the lowest failing index's
// exception on the caller's thread, and that k threads really run at once.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "common/parallel_map.h"

using namespace ventral;

TEST_CASE("parallel_map: every index runs exactly once, results in index order", "[common]") {
  for (int threads : {0, 1, 3, 8}) {
    INFO("threads " << threads);
    const std::size_t n = 1000;
    std::vector<std::atomic<int>> visits(n);
    auto squares = parallel_map(n, threads, [&](std::size_t i) {
      ++visits[i];
      return std::to_string(i * i);
    });
    REQUIRE(squares.size() == n);
    for (std::size_t i = 0; i < n; ++i) {
      REQUIRE(visits[i].load() == 1);
      REQUIRE(squares[i] == std::to_string(i * i));
    }
  }
  CHECK(
      parallel_map(0, 4, [](std::size_t i) -> int { throw std::logic_error("never called"); }).empty());
}

TEST_CASE("parallel_map: runs on the requested number of threads at once", "[common]") {
  // Indices 0..2 each wait until all three are running: one thread alone would time out.
  std::mutex mutex;
  std::condition_variable cv;
  int arrived = 0;
  auto ids = parallel_map(3, 3, [&](std::size_t) {
    std::unique_lock<std::mutex> lock(mutex);
    ++arrived;
    cv.notify_all();
    if (!cv.wait_for(lock, std::chrono::seconds(30), [&] { return arrived == 3; })) {
      throw std::runtime_error("fewer than 3 threads ran at once");
    }
    return std::this_thread::get_id();
  });
  CHECK(ids[0] != ids[1]);
  CHECK(ids[1] != ids[2]);
  CHECK(ids[0] != ids[2]);
}

TEST_CASE("parallel_map: the lowest failing index's exception reaches the caller", "[common]") {
  for (int threads : {1, 4}) {
    INFO("threads " << threads);
    std::vector<std::atomic<int>> visits(2000);
    const auto caller = std::this_thread::get_id();
    std::thread::id thrown_on;
    try {
      parallel_map(visits.size(), threads, [&](std::size_t i) {
        ++visits[i];
        if (i == 37 || i == 500 || i == 1999) throw std::runtime_error("failed at " + std::to_string(i));
        return static_cast<int>(i);
      });
      FAIL("no exception");
    } catch (const std::runtime_error& e) {
      thrown_on = std::this_thread::get_id();
      CHECK(std::string(e.what()) == "failed at 37");
    }
    CHECK(thrown_on == caller);
    // Every index below the failing one ran (once); work stops soon after a failure.
    for (std::size_t i = 0; i <= 37; ++i) REQUIRE(visits[i].load() == 1);
    for (auto& v : visits) REQUIRE(v.load() <= 1);
  }
}

TEST_CASE("parallel_map: a failure on another thread is rethrown after all threads join", "[common]") {
  // Index 1 fails at once on a worker while index 0 (on some thread) is still running;
  // parallel_map must wait for index 0 to finish before rethrowing.
  std::atomic<bool> slow_done{false};
  std::atomic<bool> failed_once{false};
  CHECK_THROWS_WITH(parallel_map(2, 2,
                                 [&](std::size_t i) {
                                   if (i == 1) {
                                     failed_once = true;
                                     throw std::invalid_argument("index 1");
                                   }
                                   while (!failed_once) std::this_thread::yield();
                                   std::this_thread::sleep_for(std::chrono::milliseconds(20));
                                   slow_done = true;
                                   return 0;
                                 }),
                    "index 1");
  CHECK(slow_done.load());
}
