// Spearman's rho over 224 x 224 = 50,176 pixels per image (the ClickMe alignment score's
// inner loop): alignment::spearman (radix-sort ranks) against scipy.stats.spearmanr on the
// same maps in the same run (benchmarks/speed/scipy_spearman_peer.py), and the whole per-image
// protocol (human map pipeline + rho + top-10% Dice/IoU). One thread each.
//
//   bench_alignment [--images 200] [--repeats 5] [--json OUT.json]
#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "alignment/alignment_score.h"
#include "alignment/clickme_map.h"
#include "alignment/rank_correlation.h"
#include "common/h5_file.h"

using namespace ventral;

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

}  // namespace

int main(int argc, char** argv) {
  int images = 200, repeats = 5;
  std::string json_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--images") images = std::stoi(value);
    else if (key == "--repeats") repeats = std::stoi(value);
    else if (key == "--json") json_path = value;
  }
  constexpr int kSide = alignment::kScoreSide, kPixels = kSide * kSide;
  // Saliency-like maps (a few hundred distinct magnitudes, many ties) and smooth human maps.
  std::mt19937_64 rng(1);
  std::uniform_real_distribution<float> unit(0.0f, 1.0f);
  std::vector<float> saliency(static_cast<std::size_t>(images) * kPixels),
      heatmaps(static_cast<std::size_t>(images) * 256 * 256);
  for (auto& v : saliency) v = std::round(unit(rng) * 300.0f) / 300.0f;
  for (int i = 0; i < images; ++i) {
    const float fx = 1 + unit(rng) * 6, fy = 1 + unit(rng) * 6;
    for (int y = 0; y < 256; ++y)
      for (int x = 0; x < 256; ++x)
        heatmaps[(static_cast<std::size_t>(i) * 256 + y) * 256 + x] = 127.5f *
                                                                      (1 + std::sin(fx * x / 40.0f) *
                                                                               std::cos(fy * y / 40.0f));
  }
  std::vector<std::vector<float>> humans(static_cast<std::size_t>(images));
  for (int i = 0; i < images; ++i)
    humans[i] = alignment::clickme_human_map(&heatmaps[static_cast<std::size_t>(i) * 65536], 256, 256);

  // The peer reads the same pairs from a file.
  const std::string maps_path = "/tmp/ventral_bench_alignment_maps.h5";
  {
    auto file = h5::File::create(maps_path);
    std::vector<float> human_stack;
    for (const auto& h : humans) human_stack.insert(human_stack.end(), h.begin(), h.end());
    file.write_float("saliency", {static_cast<std::size_t>(images), std::size_t{kSide}, std::size_t{kSide}}, saliency.data());
    file.write_float("human", {static_cast<std::size_t>(images), std::size_t{kSide}, std::size_t{kSide}}, human_stack.data());
  }

  std::vector<double> ours_s, protocol_s, rho(static_cast<std::size_t>(images));
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < images; ++i)
      rho[i] = alignment::spearman(&saliency[static_cast<std::size_t>(i) * kPixels], humans[i].data(),
                                   kPixels);
    ours_s.push_back(seconds_since(start) / images);
    start = std::chrono::steady_clock::now();
    for (int i = 0; i < images; ++i) {
      std::vector<float> model(saliency.begin() + static_cast<std::ptrdiff_t>(i) * kPixels,
                               saliency.begin() + static_cast<std::ptrdiff_t>(i + 1) * kPixels);
      std::vector<float> heat(heatmaps.begin() + static_cast<std::ptrdiff_t>(i) * 65536,
                              heatmaps.begin() + static_cast<std::ptrdiff_t>(i + 1) * 65536);
      alignment::align_image(model, kSide, kSide, heat, 256, 256);
    }
    protocol_s.push_back(seconds_since(start) / images);
  }

  const std::string peer_out = "/tmp/ventral_bench_alignment_peer.txt";
  const std::string command = fmt::format(
      "OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 {}/benchmarks/speed/scipy_spearman_peer.py {} {} {} > {}",
      VENTRAL_SOURCE_DIR, maps_path, repeats, images, peer_out);
  if (std::system(command.c_str()) != 0) {
    fmt::print(stderr, "bench_alignment: the scipy peer failed ({})\n", command);
    return 1;
  }
  std::ifstream peer(peer_out);
  double scipy_s = 0;
  peer >> scipy_s;
  double max_diff = 0;
  for (int i = 0; i < images; ++i) {
    double r;
    peer >> r;
    max_diff = std::max(max_diff, std::abs(r - rho[i]));
  }
  const double ours = median(ours_s), protocol = median(protocol_s);
  fmt::print("Spearman over {} pixels, {} image pairs, one thread, median of {} rounds\n", kPixels,
             images, repeats);
  fmt::print("  ventral spearman      {:8.3f} ms/image\n", ours * 1e3);
  fmt::print(
      "  scipy.stats.spearmanr {:8.3f} ms/image   ventral is {:.1f}x faster; largest |rho difference| {:.2e}\n",
      scipy_s * 1e3, scipy_s / ours, max_diff);
  fmt::print(
      "  whole per-image protocol (human map 256 -> 64 -> blur -> 224, rho, Dice/IoU) {:8.3f} ms/image\n",
      protocol * 1e3);
  if (!json_path.empty()) {
    std::ofstream out(json_path);
    out << fmt::format(
        "{{\"pixels\": {}, \"images\": {}, \"repeats\": {}, \"threads\": 1, \"ventral_ms_per_image\": {:.4f}, "
        "\"scipy_ms_per_image\": {:.4f}, \"speedup\": {:.2f}, \"max_abs_rho_diff\": {:.3e}, "
        "\"protocol_ms_per_image\": {:.4f}}}\n",
        kPixels, images, repeats, ours * 1e3, scipy_s * 1e3, scipy_s / ours, max_diff, protocol * 1e3);
  }
  std::remove(maps_path.c_str());
  std::remove(peer_out.c_str());
  return 0;
}
