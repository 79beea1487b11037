// hmax-classic throughput: ventral's fast path (one FFT per image for all 64 Gabor
// filters, box-sum norms, band-by-band C1) against the straightforward per-scale
// LibTorch convolutions, same images, same threads, same run. Also checks that both
// give the same C1 and C2.
//
//   bench_hmax_classic [--sizes 224,512] [--batch 32] [--threads 2] [--repeats 3]
//                      [--patches FILE] [--json OUT.json]
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include "common/allocator.h"
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>

#include "benchmarks/hmax_classic_reference.h"
#include "common/text_list.h"
#include "hmax/hmax_classic.h"
#include "models/layer_names.h"

namespace {

struct Args {
  std::vector<int> sizes = {224, 512};
  int batch = 32;
  int threads = 2;
  int repeats = 3;
  std::string patches;
  std::string json;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--sizes") {
      args.sizes.clear();
      for (const auto& s : ventral::split_list(value)) args.sizes.push_back(std::stoi(s));
    } else if (flag == "--batch") {
      args.batch = std::stoi(value);
    } else if (flag == "--threads") {
      args.threads = std::stoi(value);
    } else if (flag == "--repeats") {
      args.repeats = std::stoi(value);
    } else if (flag == "--patches") {
      args.patches = value;
    } else if (flag == "--json") {
      args.json = value;
    } else {
      throw std::invalid_argument("unknown flag " + flag);
    }
  }
  return args;
}

template <typename Fn>
double median_seconds(int repeats, Fn&& fn) {
  std::vector<double> times;
  for (int r = 0; r < repeats; ++r) {
    auto start = std::chrono::steady_clock::now();
    fn();
    times.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// Smooth natural-image-like input: a blurred random field in 0..255, fixed seed.
torch::Tensor synthetic_images(int batch, int size) {
  torch::manual_seed(0);
  auto noise = torch::rand({batch, 1, size / 8, size / 8});
  namespace F = torch::nn::functional;
  auto up = F::interpolate(noise, F::InterpolateFuncOptions()
                                      .size(std::vector<int64_t>{size, size})
                                      .mode(torch::kBicubic)
                                      .align_corners(false));
  return (up.clamp(0, 1) * 255).round() + 0.0;
}

}  // namespace

int main(int argc, char** argv) {
  ventral::tune_allocator();
  Args args = parse(argc, argv);
  at::set_num_threads(args.threads);
  ventral::hmax::PrototypeSet prototypes;
  if (!args.patches.empty()) prototypes = ventral::hmax::load_prototypes(args.patches);
  ventral::hmax::HmaxClassic model(ventral::hmax::HmaxClassicOptions{}, prototypes);
  const std::string layer = prototypes.empty() ? "c1" : "c2";
  fmt::print("hmax-classic {} per image, batch {}, {} threads, median of {} runs, {} prototypes\n",
             layer, args.batch, args.threads, args.repeats, prototypes.count());
  fmt::print("{:>6} {:>16} {:>16} {:>8} {:>12} {:>12}\n", "size", "ventral img/s", "direct img/s",
             "ratio", "max|dC1|", "max|dC2|");
  std::string json = "[";
  for (int size : args.sizes) {
    auto images = synthetic_images(args.batch, size);
    torch::NoGradGuard no_grad;
    ventral::models::NamedTensors fast;
    ventral::bench::ReferenceHmaxOutput slow;
    auto names = std::vector<std::string>{"c1"};
    if (!prototypes.empty()) names.push_back("c2");
    double t_fast = median_seconds(args.repeats, [&] { fast = model->features(images, names); });
    double t_slow = median_seconds(args.repeats, [&] { slow = ventral::bench::reference_hmax(images, prototypes.patches); });
    double d_c1 = 0.0, d_c2 = 0.0;
    for (int k = 0; k < 8; ++k) d_c1 = std::max(d_c1, (fast[k].second - slow.c1[k]).abs().max().item<double>());
    if (!prototypes.empty()) d_c2 = (fast.back().second - slow.c2).abs().max().item<double>();
    double ips_fast = args.batch / t_fast, ips_slow = args.batch / t_slow;
    fmt::print("{:>6} {:>16.2f} {:>16.2f} {:>8.2f} {:>12.2e} {:>12.2e}\n", size, ips_fast, ips_slow,
               ips_fast / ips_slow, d_c1, d_c2);
    json += fmt::format("{}{{\"size\":{},\"batch\":{},\"threads\":{},\"layer\":\"{}\",\"ventral_images_per_s\":{:.4f},"
                        "\"direct_images_per_s\":{:.4f},\"ratio\":{:.3f},\"max_abs_diff_c1\":{:.3e},\"max_abs_diff_c2\":{:.3e}}}",
                        json.size() > 1 ? "," : "", size, args.batch, args.threads, layer, ips_fast, ips_slow,
                        ips_fast / ips_slow, d_c1, d_c2);
  }
  json += "]\n";
  if (!args.json.empty()) std::ofstream(args.json) << json;
  return 0;
}
