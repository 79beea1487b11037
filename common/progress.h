// Progress lines for long work: "features: 64/200 images, 12.3 images/s, ETA 11 s".
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace ventral {

class Progress {
 public:
  /// `what` prefixes each line; `unit` names the items ("images").
  Progress(std::string what, std::int64_t total, std::string unit);
  /// Records `done` items finished; prints at most every `interval_s` seconds and at the end.
  void update(std::int64_t done);
  /// Seconds since construction.
  double elapsed_s() const;

 private:
  std::string what_, unit_;
  std::int64_t total_;
  std::chrono::steady_clock::time_point start_, last_print_;
  double interval_s_ = 2.0;
};

}  // namespace ventral
