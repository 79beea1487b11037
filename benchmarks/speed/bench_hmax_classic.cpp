// hmax-classic throughput: ventral's fast path (one FFT per image for all 64 Gabor
// filters, box-sum norms, band-by-band C1) on each FFT backend in this build (pocketfft
// always, FFTW with -DVENTRAL_WITH_FFTW=ON) against the straightforward per-scale LibTorch
// convolutions (tests/oracles/hmax_classic_reference.cpp, the PyTorch port's approach):
// same images, same threads, same process, runs interleaved (one of each per round) so
// that load on a shared machine hits all alike; medians per method. Also checks that all
// give the same C1 and C2.
//
//   bench_hmax_classic [--sizes 224,512] [--batch 32] [--threads 2] [--repeats 3]
//                      [--patches FILE] [--json OUT.json]
#include <ATen/Parallel.h>
#include <fmt/core.h>

#include <torch/torch.h>
#include "common/allocator.h"

#include <algorithm>
#include <chrono>
#include <fstream>

#include "common/text_list.h"
#include "hmax/hmax_classic.h"
#include "hmax/real_fft.h"
#include "tests/oracles/hmax_classic_reference.h"

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
double seconds(Fn&& fn) {
  auto start = std::chrono::steady_clock::now();
  fn();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

double median(std::vector<double> times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

double max_abs_diff(const std::vector<torch::Tensor>& a, const std::vector<torch::Tensor>& b) {
  double worst = 0.0;
  for (std::size_t k = 0; k < a.size(); ++k)
    worst = std::max(worst, (a[k] - b[k]).abs().max().item<double>());
  return worst;
}

// One timed method: a name, its times per round, and its last output.
struct Method {
  std::string name;
  std::vector<double> times;
  std::vector<torch::Tensor> c1;
  torch::Tensor c2;
};

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
  namespace hmax = ventral::hmax;
  ventral::tune_allocator();
  Args args = parse(argc, argv);
  at::set_num_threads(args.threads);
  hmax::PrototypeSet prototypes;
  if (!args.patches.empty()) prototypes = hmax::load_prototypes(args.patches);
  hmax::HmaxClassic model(hmax::HmaxClassicOptions{}, prototypes);
  const std::string layer = prototypes.empty() ? "c1" : "c2";
  const auto backends = hmax::real_fft_backends();
  const hmax::RealFftBackend default_backend = hmax::real_fft_backend();
  const bool has_fftw = backends.size() > 1;
  fmt::print(
      "hmax-classic {} per image, batch {}, {} threads, median of {} interleaved runs, {} prototypes, "
      "default FFT backend {}\n",
      layer, args.batch, args.threads, args.repeats, prototypes.count(),
      hmax::real_fft_backend_name(default_backend));
  fmt::print("{:>6} {:>6} {:>15} {:>11} {:>15} {:>10} {:>10} {:>11} {:>11} {:>11}\n", "size", "grid",
             "pocketfft img/s", "fftw img/s", "reference img/s", "pocket/ref", "fftw/ref", "pocket/fftw",
             "max|dC1|", "max|dC2|");
  std::string json = "[";
  for (int size : args.sizes) {
    auto images = synthetic_images(args.batch, size);
    torch::NoGradGuard no_grad;
    auto names = std::vector<std::string>{"c1"};
    if (!prototypes.empty()) names.push_back("c2");
    std::vector<Method> methods;
    for (auto backend : backends) methods.push_back({hmax::real_fft_backend_name(backend), {}, {}, {}});
    methods.push_back({"reference", {}, {}, {}});
    auto run_ventral = [&](Method& m, hmax::RealFftBackend backend) {
      hmax::set_real_fft_backend(backend);
      auto out = model->features(images, names);
      m.c1.clear();
      for (int k = 0; k < 8; ++k) m.c1.push_back(out[k].second);
      if (!prototypes.empty()) m.c2 = out.back().second;
    };
    // Untimed first pass per backend: kernel spectra and FFT plans are made once per size.
    for (std::size_t b = 0; b < backends.size(); ++b) run_ventral(methods[b], backends[b]);
    for (int r = 0; r < args.repeats; ++r) {
      for (std::size_t b = 0; b < backends.size(); ++b) {
        methods[b].times.push_back(seconds([&] { run_ventral(methods[b], backends[b]); }));
      }
      Method& ref = methods.back();
      ref.times.push_back(seconds([&] {
        auto slow = ventral::oracles::reference_hmax(images, prototypes.patches);
        ref.c1 = slow.c1;
        ref.c2 = slow.c2;
      }));
    }
    hmax::set_real_fft_backend(default_backend);
    auto ips = [&](const Method& m) { return args.batch / median(m.times); };
    const Method& pocket = methods[0];
    const Method& ref = methods.back();
    const Method& fast = has_fftw && default_backend == hmax::RealFftBackend::fftw ? methods[1] : pocket;
    const double ips_pocket = ips(pocket), ips_ref = ips(ref),
                 ips_fftw = has_fftw ? ips(methods[1]) : 0.0;
    double d_c1 = max_abs_diff(fast.c1, ref.c1), d_c2 = 0.0, d_backends = 0.0;
    if (!prototypes.empty()) d_c2 = (fast.c2 - ref.c2).abs().max().item<double>();
    for (const Method& m : methods) d_c1 = std::max(d_c1, max_abs_diff(m.c1, ref.c1));
    if (has_fftw) d_backends = max_abs_diff(pocket.c1, methods[1].c1);
    const auto grid = hmax::classic_s1_grid(size, size, hmax::RealFftBackend::pocketfft);
    fmt::print("{:>6} {:>6} {:>15.2f} {:>11} {:>15.2f} {:>10.2f} {:>10} {:>11} {:>11.2e} {:>11.2e}\n",
               size, grid.rows, ips_pocket, has_fftw ? fmt::format("{:.2f}", ips_fftw) : "-", ips_ref,
               ips_pocket / ips_ref, has_fftw ? fmt::format("{:.2f}", ips_fftw / ips_ref) : "-",
               has_fftw ? fmt::format("{:.2f}", ips_pocket / ips_fftw) : "-", d_c1, d_c2);
    // ventral_images_per_s, direct_images_per_s and ratio keep their old meaning: the
    // build's default backend against the per-scale convolutions.
    const double ips_default = default_backend == hmax::RealFftBackend::fftw ? ips_fftw : ips_pocket;
    json += fmt::format(
        "{}{{\"size\":{},\"batch\":{},\"threads\":{},\"repeats\":{},\"layer\":\"{}\",\"default_backend\":\"{}\","
        "\"ventral_images_per_s\":{:.4f},\"direct_images_per_s\":{:.4f},\"ratio\":{:.3f},"
        "\"pocketfft_images_per_s\":{:.4f},\"fftw_images_per_s\":{},\"reference_images_per_s\":{:.4f},"
        "\"pocketfft_vs_reference\":{:.3f},\"fftw_vs_reference\":{},\"pocketfft_vs_fftw\":{},"
        "\"max_abs_diff_c1\":{:.3e},\"max_abs_diff_c2\":{:.3e},\"max_abs_diff_c1_pocketfft_fftw\":{}}}",
        json.size() > 1 ? "," : "", size, args.batch, args.threads, args.repeats, layer,
        hmax::real_fft_backend_name(default_backend), ips_default, ips_ref, ips_default / ips_ref,
        ips_pocket, has_fftw ? fmt::format("{:.4f}", ips_fftw) : "null", ips_ref, ips_pocket / ips_ref,
        has_fftw ? fmt::format("{:.3f}", ips_fftw / ips_ref) : "null",
        has_fftw ? fmt::format("{:.3f}", ips_pocket / ips_fftw) : "null", d_c1, d_c2,
        has_fftw ? fmt::format("{:.3e}", d_backends) : "null");
  }
  json += "]\n";
  if (!args.json.empty()) std::ofstream(args.json) << json;
  return 0;
}
