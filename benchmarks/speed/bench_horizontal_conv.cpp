// The hGRU's horizontal convolution, forward + backward (both inputs), by FFT
// (recurrent_cells/fft_conv.h) against LibTorch's direct conv2d (oneDNN), the convolution the
// public hGRU ports call. Shapes of the Pathfinder network: batch 32, K = 24 channels, maps of
// 32 and 64 px, kernels 5..15. Reports the median of 5 repeats, the speed-up and the largest
// difference between the two results relative to the largest output value.
//
// Usage: bench_horizontal_conv [--threads N] [--json OUT.json]
#include <fmt/format.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "common/atomic_output.h"
#include "recurrent_cells/fft_conv.h"

namespace {

double median_seconds(const std::function<void()>& work, int repeats) {
  work();  // warm-up: allocator, oneDNN primitive cache, FFT plans
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    work();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(seconds.begin(), seconds.end());
  return seconds[seconds.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string json = std::string(VENTRAL_SOURCE_DIR) + "/benchmarks/speed/results/horizontal_conv.json";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i];
    if (flag == "--threads") threads = std::stoi(argv[i + 1]);
    else if (flag == "--json") json = argv[i + 1];
  }
  torch::set_num_threads(threads);
  torch::manual_seed(0);
  const int64_t batch = 32, channels = 24;
  fmt::print("horizontal conv, forward + backward, batch {}, {} channels, {} threads\n", batch, channels,
             threads);
  fmt::print("{:>6} {:>6} {:>12} {:>12} {:>9} {:>11}\n", "size", "kernel", "direct ms", "fft ms",
             "speed-up", "rel. diff");
  std::string rows;
  for (int64_t size : {32, 64}) {
    for (int64_t k : {5, 7, 9, 11, 13, 15}) {
      auto x = torch::randn({batch, channels, size, size}, torch::requires_grad());
      auto w = (torch::randn({channels, channels, k, k}) / (channels * k)).requires_grad_();
      auto direct = torch::conv2d(x, w, {}, 1, k / 2);
      auto fft = ventral::recurrent::fft_conv2d_same(x, w);
      const double diff = ((direct - fft).abs().max() / direct.abs().max()).item<double>();
      auto step = [&](bool use_fft) {
        auto y = use_fft ? ventral::recurrent::fft_conv2d_same(x, w) : torch::conv2d(x, w, {}, 1, k / 2);
        y.sum().backward();
        x.mutable_grad().reset();
        w.mutable_grad().reset();
      };
      const double t_direct = median_seconds([&] { step(false); }, 5);
      const double t_fft = median_seconds([&] { step(true); }, 5);
      fmt::print("{:>6} {:>6} {:>12.1f} {:>12.1f} {:>8.2f}x {:>11.1e}\n", size, k, t_direct * 1e3,
                 t_fft * 1e3, t_direct / t_fft, diff);
      rows += fmt::format(
          "{}    {{\"size\": {}, \"kernel\": {}, \"direct_ms\": {:.2f}, \"fft_ms\": {:.2f}, "
          "\"speedup\": {:.3f}, \"relative_difference\": {:.2e}}}",
          rows.empty() ? "" : ",\n", size, k, t_direct * 1e3, t_fft * 1e3, t_direct / t_fft, diff);
    }
  }
  if (!json.empty()) {
    ventral::write_text_file(
        json, fmt::format("{{\n  \"benchmark\": \"horizontal conv forward+backward, batch {}, "
                          "{} channels, {} threads\",\n  \"rows\": [\n{}\n  ]\n}}\n",
                          batch, channels, threads, rows));
    fmt::print("wrote {}\n", json);
  }
  return 0;
}
