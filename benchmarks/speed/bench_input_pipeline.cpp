// Training input pipeline, one thread: JPEG decode + RandomResizedCrop(224) + flip +
// normalise, ventral against Pillow + torchvision (benchmarks/speed/input_pipeline_peer.py) on
// the same ~200 ImageNet-sized JPEGs, in the same run. ventral is measured three ways:
// exact (decodes only the rows and columns the crop reads; equal to torchvision on PIL),
// whole (decodes the whole file first, as the peer does), and fast_decode (DCT-scaled
// decoding when the crop shrinks by 2x or more; approximate). Times are CPU seconds of
// the measuring thread on both sides, so other load on a shared machine does not count.
//
//   bench_input_pipeline [--images 200] [--repeats 5] [--size 224] [--json OUT.json]
//                        [--python /usr/bin/python3]
#include <fmt/core.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>

#include "benchmarks/speed/bench_jpeg_set.h"
#include "common/image_io.h"
#include "training/data/pil_resize.h"
#include "training/data/sample_random.h"
#include "training/data/transforms.h"

namespace {

namespace fs = std::filesystem;
using namespace ventral;
using namespace ventral::data;

struct Args {
  int images = 200;
  int repeats = 5;
  int size = 224;
  std::string json;
  std::string python = VENTRAL_PYTHON;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--images") args.images = std::stoi(value);
    else if (flag == "--repeats") args.repeats = std::stoi(value);
    else if (flag == "--size") args.size = std::stoi(value);
    else if (flag == "--json") args.json = value;
    else if (flag == "--python") args.python = value;
    else throw std::invalid_argument("unknown flag " + flag);
  }
  return args;
}

std::vector<std::uint8_t> read_file(const std::string& path) {
  std::ifstream stream(path, std::ios::binary | std::ios::ate);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(stream.tellg()));
  stream.seekg(0);
  stream.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return bytes;
}

double thread_cpu_seconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

enum class Mode { exact, whole, fast };

// Seconds per pass over the files, `repeats` passes.
std::vector<double> time_ventral(const std::vector<std::string>& files, int repeats, int size,
                                 Mode mode) {
  TransformOptions options;
  options.train = true;
  options.img_size = size;
  options.fast_decode = mode == Mode::fast;
  std::vector<float> tensor(3 * static_cast<std::size_t>(size) * size);
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    double start = thread_cpu_seconds();
    for (std::size_t i = 0; i < files.size(); ++i) {
      std::mt19937_64 rng(sample_seed(0, r, i));
      auto bytes = read_file(files[i]);
      Image image = mode == Mode::whole
                        ? transform_image(decode_image(bytes.data(), bytes.size(), files[i]), options,
                                          rng)
                        : transform_encoded(bytes.data(), bytes.size(), files[i], options, rng);
      normalise_into(image, options, tensor.data());
    }
    seconds.push_back(thread_cpu_seconds() - start);
  }
  return seconds;
}

std::vector<double> time_peer(const Args& args, const std::string& folder) {
  std::string out = folder + "/peer_times.txt";
  std::string command = fmt::format("{} {}/benchmarks/speed/input_pipeline_peer.py {} {} {} > {}", args.python,
                                    VENTRAL_SOURCE_DIR, folder, args.repeats, args.size, out);
  if (std::system(command.c_str()) != 0) throw std::runtime_error("peer failed: " + command);
  std::ifstream in(out);
  std::vector<double> seconds;
  for (double s; in >> s;) seconds.push_back(s);
  if (seconds.empty()) throw std::runtime_error("peer printed no times: " + command);
  return seconds;
}

}  // namespace

int main(int argc, char** argv) {
  Args args = parse(argc, argv);
  fs::path folder = fs::temp_directory_path() / fmt::format("ventral_bench_jpegs_{}", getpid());
  fs::create_directories(folder);
  auto files = ventral::bench::write_jpeg_set(folder.string(), args.images);
  std::uintmax_t bytes = 0;
  for (const auto& f : files) bytes += fs::file_size(f);

  auto peer = time_peer(args, folder.string());
  auto exact = time_ventral(files, args.repeats, args.size, Mode::exact);
  auto whole = time_ventral(files, args.repeats, args.size, Mode::whole);
  auto fast = time_ventral(files, args.repeats, args.size, Mode::fast);
  fs::remove_all(folder);

  const double n = static_cast<double>(files.size());
  double peer_ips = n / median(peer), exact_ips = n / median(exact), whole_ips = n / median(whole),
         fast_ips = n / median(fast);
  fmt::print("input pipeline, one thread: JPEG decode + RandomResizedCrop({}) + flip + normalise\n",
             args.size);
  fmt::print("{} JPEGs (ImageNet-sized, {:.0f} KB mean), median of {} passes, thread CPU time\n",
             files.size(), bytes / n / 1024.0, args.repeats);
  fmt::print("{:<44} {:>10} {:>10}\n", "pipeline", "images/s", "vs peer");
  auto row = [&](const char* name, double ips) {
    fmt::print("{:<44} {:>10.1f} {:>9.2f}x\n", name, ips, ips / peer_ips);
  };
  row("Pillow + torchvision (peer)", peer_ips);
  row("ventral, whole-image decode", whole_ips);
  row("ventral, exact (region decode, default)", exact_ips);
  row("ventral, fast_decode (DCT scaling)", fast_ips);
  if (!args.json.empty()) {
    std::ofstream(args.json) << fmt::format(
        "{{\"benchmark\":\"input_pipeline\",\"images\":{},\"mean_file_kb\":{:.1f},\"size\":{},\"threads\":1,"
        "\"repeats\":{},\"timing\":\"thread CPU seconds, median of repeats\",\"peer\":\"Pillow {} + torchvision RandomResizedCrop+RandomHorizontalFlip+ToTensor+Normalize\","
        "\"peer_images_per_s\":{:.2f},\"ventral_whole_decode_images_per_s\":{:.2f},"
        "\"ventral_exact_images_per_s\":{:.2f},\"ventral_fast_decode_images_per_s\":{:.2f},"
        "\"ratio_exact\":{:.3f},\"ratio_whole_decode\":{:.3f},\"ratio_fast_decode\":{:.3f}}}\n",
        files.size(), bytes / n / 1024.0, args.size, args.repeats, "9.4", peer_ips, whole_ips, exact_ips,
        fast_ips, exact_ips / peer_ips, whole_ips / peer_ips, fast_ips / peer_ips);
  }
  return 0;
}
