// Pathfinder generation speed, one thread: images per second of CPU time for each preset
// and contour length (6, 9, 14), with the mean number of target-snake pairs tried per
// image (the recipe redraws both snakes whenever one cannot be extended). There is no
// peer in this run: the Python original (drewlinsley/pathfinder) needs SciPy < 1.2.
//
//   bench_pathfinder [--seconds 2] [--json benchmarks/results/pathfinder.json]
#include <fmt/core.h>

#include <ctime>
#include <fstream>
#include <string>

#include "training/data/pathfinder.h"

namespace {

double cpu_seconds() {
  timespec t{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

}  // namespace

int main(int argc, char** argv) {
  double budget = 2.0;
  std::string json = "benchmarks/results/pathfinder.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--seconds") budget = std::stod(argv[i + 1]);
    else if (flag == "--json") json = argv[i + 1];
  }
  fmt::print("{:<14} {:>6} {:>10} {:>12} {:>10}\n", "preset", "length", "images", "images/s", "attempts");
  std::string rows;
  for (const char* preset : {"lra32", "lra64", "lra128", "pathfinder300"}) {
    for (int length : {6, 9, 14}) {
      auto options = ventral::data::pathfinder_preset(preset, length);
      double start = cpu_seconds(), elapsed = 0;
      long images = 0, attempts = 0;
      while (elapsed < budget) {
        attempts += ventral::data::generate_pathfinder(options, 1, images).attempts;
        ++images;
        elapsed = cpu_seconds() - start;
      }
      double rate = images / elapsed, mean_attempts = static_cast<double>(attempts) / images;
      fmt::print("{:<14} {:>6} {:>10} {:>12.0f} {:>10.1f}\n", preset, length, images, rate, mean_attempts);
      rows += fmt::format("{}    {{\"preset\": \"{}\", \"size\": {}, \"length\": {}, \"images\": {}, "
                          "\"images_per_cpu_second\": {:.1f}, \"mean_attempts\": {:.2f}}}",
                          rows.empty() ? "" : ",\n", preset, options.window_px, length, images, rate,
                          mean_attempts);
    }
  }
  if (!json.empty()) {
    std::ofstream(json) << "{\n  \"benchmark\": \"pathfinder generation, one thread\",\n  \"rows\": [\n"
                        << rows << "\n  ]\n}\n";
    fmt::print("wrote {}\n", json);
  }
  return 0;
}
