#include "common/progress.h"

#include <fmt/core.h>

namespace ventral {

Progress::Progress(std::string what, std::int64_t total, std::string unit)
    : what_(std::move(what)),
      unit_(std::move(unit)),
      total_(total),
      start_(std::chrono::steady_clock::now()),
      last_print_(start_) {}

double Progress::elapsed_s() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void Progress::update(std::int64_t done) {
  auto now = std::chrono::steady_clock::now();
  bool finished = done >= total_;
  if (!finished && std::chrono::duration<double>(now - last_print_).count() < interval_s_) return;
  last_print_ = now;
  double elapsed = elapsed_s();
  double rate = elapsed > 0 ? done / elapsed : 0.0;
  if (finished) {
    fmt::print(stderr, "{}: {}/{} {}, {:.1f} {}/s, done in {:.1f} s\n", what_, done, total_, unit_, rate,
               unit_, elapsed);
  } else {
    double eta = rate > 0 ? (total_ - done) / rate : 0.0;
    fmt::print(stderr, "{}: {}/{} {}, {:.1f} {}/s, ETA {:.0f} s\n", what_, done, total_, unit_, rate,
               unit_, eta);
  }
}

}  // namespace ventral
