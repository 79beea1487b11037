// Pathfinder generation speed, one thread: images per second of CPU time for each preset
// and contour length (6, 9, 14), with the mean number of target-snake pairs tried per
// image (the recipe redraws both snakes whenever one cannot be extended); the median of 5
// interleaved rounds, with the slowest and fastest. There is no peer in this run: the
// Python original (drewlinsley/pathfinder) needs SciPy < 1.2.
//
//   bench_pathfinder [--seconds 2] [--json benchmarks/speed/results/pathfinder.json]
#include <fmt/core.h>

#include <algorithm>
#include <ctime>
#include <fstream>
#include <string>
#include <vector>

#include "stimuli/pathfinder.h"

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  double budget = 2.0;
  constexpr int kRounds = 5;  // interleaved, so a slow phase of a shared machine hits every row alike
  std::string json = "benchmarks/speed/results/pathfinder.json";
  for (int i = 1; i < argc; i += 2) {
    std::string flag = argv[i];
    if (i + 1 < argc && flag == "--seconds") {
      budget = std::stod(argv[i + 1]);
    } else if (i + 1 < argc && flag == "--json") {
      json = argv[i + 1];
    } else {
      fmt::print(stderr, "usage: bench_pathfinder [--seconds S] [--json OUT.json]\n");
      return 2;
    }
  }
  struct Row {
    ventral::stimuli::PathfinderOptions options;
    long images = 0, attempts = 0;
    std::vector<double> rates;
  };
  std::vector<Row> table;
  for (const char* preset : {"lra32", "lra64", "lra128", "pathfinder300"}) {
    for (int length : {6, 9, 14}) {
      Row row;
      row.options = ventral::stimuli::pathfinder_preset(preset, length);
      table.push_back(row);
    }
  }
  for (int round = 0; round < kRounds; ++round) {
    for (Row& row : table) {
      const double start = cpu_seconds();
      double elapsed = 0;
      long images = 0;
      while (elapsed < budget / kRounds) {
        row.attempts += ventral::stimuli::generate_pathfinder(row.options, 1, row.images + images)
                            .attempts;
        ++images;
        elapsed = cpu_seconds() - start;
      }
      row.images += images;
      row.rates.push_back(images / elapsed);
    }
  }
  fmt::print("{:<14} {:>6} {:>8} {:>10} {:>16} {:>9}\n", "preset", "length", "images", "images/s",
             "(min-max)", "attempts");
  std::string rows;
  for (Row& row : table) {
    std::sort(row.rates.begin(), row.rates.end());
    const double median = row.rates[kRounds / 2];
    const double mean_attempts = static_cast<double>(row.attempts) / row.images;
    fmt::print("{:<14} {:>6} {:>8} {:>10.0f} {:>16} {:>9.1f}\n", row.options.preset,
               row.options.contour_length, row.images, median,
               fmt::format("({:.0f}-{:.0f})", row.rates.front(), row.rates.back()), mean_attempts);
    rows += fmt::format(
        "{}    {{\"preset\": \"{}\", \"size\": {}, \"length\": {}, \"images\": {}, "
        "\"images_per_cpu_second\": {:.1f}, \"min\": {:.1f}, \"max\": {:.1f}, "
        "\"mean_attempts\": {:.2f}}}",
        rows.empty() ? "" : ",\n", row.options.preset, row.options.window_px, row.options.contour_length,
        row.images, median, row.rates.front(), row.rates.back(), mean_attempts);
  }
  if (!json.empty()) {
    std::ofstream(json) << "{\n  \"benchmark\": \"pathfinder generation, one thread, median of "
                        << kRounds << " interleaved rounds\",\n  \"rows\": [\n"
                        << rows << "\n  ]\n}\n";
    fmt::print("wrote {}\n", json);
  }
  return 0;
}
