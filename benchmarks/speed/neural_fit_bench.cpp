// Benchmark of ventral's neural fit against scikit-learn (issue 4, sec. 9):
// MajajHong2015-shaped data (3200 stimuli, 168 sites, 10 splits of 90/10, PLS-25) at
// feature widths 4096, 25088 and 100352, ventral and sklearn's PLSRegression measured in
// the same run with the same thread count; scores compared per split (1e-6) and
// predictions (relative 1e-5); peak memory of the ventral process against the size of
// the feature matrix; and a 10-layer sweep.
//
// usage: neural_fit_bench [--dir D] [--widths 4096,25088,100352] [--stimuli 3200]
//          [--sites 168] [--threads 2] [--sklearn-splits 10,10,10] [--sweep-width 4096]
//          [--sweep-layers 10] [--json out.json]
// The ventral side runs in a child process of this program (--child ...) so that its
// peak memory is its own. Memory is measured in the child as follows: after the neural
// data, ceiling and splits are prepared, the child returns freed heap to the system
// (malloc_trim), records its resident set (VmRSS, "before features") and resets its
// high-water mark (writing 5 to /proc/self/clear_refs);
// after reading the features and fitting all splits it reads the high-water mark
// (VmHWM, "peak"). Reported: peak / feature bytes (total: includes the ~baseline of
// libraries, BLAS buffers and neural data) and (peak - before) / feature bytes (what
// reading and fitting the layer added), the feature matrix being N x p float32 bytes. Both sides inherit this process's environment: OpenBLAS
// auto-detects "Prescott" (SSE3) kernels on some virtual CPUs; OPENBLAS_CORETYPE=SkylakeX
// (or Haswell) selects the AVX kernels for ventral and numpy alike.
#include <fmt/format.h>
#include <malloc.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>

#include "common/h5_file.h"
#include "common/text_list.h"
#include "neural_fit/cross_validation.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/kernel_pls.h"
#include "neural_fit/linalg.h"
#include "neural_fit/metrics.h"
#include "neural_fit/neural_h5.h"
#include "neural_fit/simulate.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;

namespace {

constexpr Index kLatent = 64;

double now() {
  return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
}

// A field of /proc/self/status in bytes (VmHWM: peak resident set, VmRSS: current).
double status_bytes(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::stod(line.substr(field.size() + 1)) * 1024.0;
  }
  return -1;
}

// Resets VmHWM to the current VmRSS (Linux >= 4.0); false where not permitted.
bool reset_peak_rss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
  clear.flush();
  return static_cast<bool>(clear);
}

double load_average() {
  std::ifstream f("/proc/loadavg");
  double one = -1;
  f >> one;
  return one;
}

std::vector<std::string> stimulus_ids(Index n) {
  std::vector<std::string> ids;
  for (Index i = 0; i < n; ++i) ids.push_back(fmt::format("s{:05d}", i));
  return ids;
}

// Features with a shared 64-dimensional latent structure: relu(Z L / 8 + 0.3 noise),
// Z with a power-law spectrum (column k scaled by 1/(k+1)), as layer activations have.
void write_features(const std::string& path, const Matrix& z, const std::vector<Index>& widths,
                    std::uint64_t seed) {
  auto file = ventral::h5::File::create(path);
  file.write_strings("stimulus_id", stimulus_ids(z.rows()));
  for (std::size_t l = 0; l < widths.size(); ++l) {
    const Index p = widths[l];
    const std::string name = widths.size() == 1 ? "features" : fmt::format("layer{:02d}", l);
    Matrix loadings = nf::standard_normal(kLatent, p, seed + 100 * l);
    file.create_float(name, {static_cast<std::size_t>(z.rows()), static_cast<std::size_t>(p)});
    constexpr Index kRows = 100;
    for (Index r = 0; r < z.rows(); r += kRows) {
      const Index rows = std::min(kRows, z.rows() - r);
      Matrix block = z.middleRows(r, rows) * loadings / 8.0 +
                     0.3 * nf::standard_normal(rows, p, seed + 100 * l + 1 + r);
      nf::FeatureMatrix f = block.cwiseMax(0.0).cast<float>();
      file.write_float_rows(name, static_cast<std::size_t>(r), static_cast<std::size_t>(rows), f.data());
    }
  }
}

void write_neural_and_splits(const std::string& dir, const Matrix& z, Index sites) {
  Matrix signal = z * nf::standard_normal(kLatent, sites, 7);
  signal = signal.rowwise() - signal.colwise().mean();
  nf::NeuralH5Contents c;
  c.reps = 2;
  c.stimuli = z.rows();
  c.sites = sites;
  c.stimulus_id = stimulus_ids(z.rows());
  for (Index j = 0; j < sites; ++j) c.site_id.push_back(fmt::format("site{:03d}", j));
  Matrix noise = nf::standard_normal(2 * z.rows(), sites, 8);
  for (Index r = 0; r < 2; ++r) {
    for (Index i = 0; i < z.rows(); ++i) {
      for (Index j = 0; j < sites; ++j) {
        double sd = std::sqrt(signal.col(j).squaredNorm() / double(z.rows()));
        c.responses.push_back(static_cast<float>(signal(i, j) / sd + noise(r * z.rows() + i, j)));
      }
    }
  }
  nf::write_neural_h5(dir + "/neural.h5", c);
  nf::ShuffleSplitOptions options{10, 0.9, 1};
  nf::write_splits_file(dir + "/splits.h5", c.stimulus_id, nf::shuffle_splits(z.rows(), options));
}

// --child FEATURES LAYERS NEURAL SPLITS OUT KEEP: ventral's side, in its own process.
int run_child(char** argv) {
  const std::string features = argv[2], neural = argv[4], splits = argv[5], out = argv[6];
  const int keep = std::atoi(argv[7]);
  double rss_start = status_bytes("VmRSS");  // libraries only
  nf::FitOptions options;
  options.splits_file = splits;
  nf::NeuralTarget target = nf::prepare_target(nf::read_neural_file(neural, "", ""), options);
  if (std::getenv("VENTRAL_BENCH_VERBOSE")) {
    fmt::print(stderr, "child rss: start {:.1f} MB, target {:.1f} MB (peak {:.1f} MB)\n",
               rss_start / 1e6, status_bytes("VmRSS") / 1e6, status_bytes("VmHWM") / 1e6);
  }
  nf::FeatureFile file(features);
  auto out_file = ventral::h5::File::create(out);
  double peak_before = status_bytes("VmHWM");
  malloc_trim(0);  // heap freed while preparing the target is not part of the baseline
  double reset = reset_peak_rss() ? 1.0 : 0.0;
  double rss_before = status_bytes("VmRSS");
  double read_total = 0, fit_total = 0;
  int layer_index = 0;
  for (const auto& layer : ventral::split_list(argv[3])) {
    double t0 = now();
    nf::FeatureDesign design(file.read_rows(layer, file.rows_for(target.data.stimulus_ids)));
    double t1 = now();
    std::vector<Matrix> predictions;
    std::vector<std::string> warnings;
    nf::Score s = nf::cross_validated_score(design, target, options, &warnings, nullptr, &predictions);
    double t2 = now();
    read_total += t1 - t0;
    fit_total += t2 - t1;
    if (layer_index++ == 0) {
      for (int k = 0; k < keep && k < static_cast<int>(predictions.size()); ++k) {
        const Matrix& p = predictions[static_cast<std::size_t>(k)];
        Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor> rm = p;
        out_file.write_double(fmt::format("prediction/{}", k),
                              {static_cast<std::size_t>(p.rows()), static_cast<std::size_t>(p.cols())},
                              rm.data());
      }
      out_file.write_double("per_split_median", {s.per_split.size()}, s.per_split.data());
    }
  }
  double peak = status_bytes("VmHWM");
  out_file.write_double("read_seconds", {1}, &read_total);
  out_file.write_double("fit_seconds", {1}, &fit_total);
  out_file.write_double("peak_rss_bytes", {1}, &peak);
  out_file.write_double("rss_before_features_bytes", {1}, &rss_before);
  out_file.write_double("rss_at_start_bytes", {1}, &rss_start);
  out_file.write_double("peak_rss_before_features_bytes", {1}, &peak_before);
  out_file.write_double("peak_rss_was_reset", {1}, &reset);
  return 0;
}

struct Args {
  std::string dir = "/tmp/ventral_nf_bench";
  std::vector<Index> widths = {4096, 25088, 100352};
  std::vector<int> sklearn_splits = {10, 10, 10};
  Index stimuli = 3200, sites = 168, sweep_width = 4096, sweep_layers = 10;
  int threads = 2;
  std::string json = "neural_fit_bench.json";
  std::string self;
};

Args parse(int argc, char** argv) {
  Args a;
  a.self = argv[0];
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string k = argv[i], v = argv[i + 1];
    if (k == "--dir") a.dir = v;
    else if (k == "--widths") {
      a.widths.clear();
      for (auto& w : ventral::split_list(v)) a.widths.push_back(std::stol(w));
    } else if (k == "--sklearn-splits") {
      a.sklearn_splits.clear();
      for (auto& w : ventral::split_list(v)) a.sklearn_splits.push_back(std::stoi(w));
    } else if (k == "--stimuli") a.stimuli = std::stol(v);
    else if (k == "--sites") a.sites = std::stol(v);
    else if (k == "--sweep-width") a.sweep_width = std::stol(v);
    else if (k == "--sweep-layers") a.sweep_layers = std::stol(v);
    else if (k == "--threads") a.threads = std::stoi(v);
    else if (k == "--json") a.json = v;
    else throw std::runtime_error("unknown option " + k);
  }
  while (a.sklearn_splits.size() < a.widths.size()) a.sklearn_splits.push_back(10);
  return a;
}

// Same threads for both sides; passive waiting keeps idle OpenMP workers from spinning
// against other work on a small machine.
std::string thread_env(int threads) {
  return fmt::format("OMP_NUM_THREADS={0} OPENBLAS_NUM_THREADS={0} OMP_WAIT_POLICY=passive", threads);
}

int run_command(const std::string& command) {
  int rc = std::system(command.c_str());
  if (rc != 0) throw std::runtime_error("command failed: " + command);
  return rc;
}

// One width: ventral child and sklearn peer on the same files; returns the JSON row.
nlohmann::json bench_width(const Args& a, Index width, int sk_splits) {
  const std::string features = fmt::format("{}/features_{}.h5", a.dir, width);
  const std::string vout = fmt::format("{}/ventral_{}.h5", a.dir, width);
  const std::string pout = fmt::format("{}/sklearn_{}.h5", a.dir, width);
  const std::string env = thread_env(a.threads);
  const double load_ventral = load_average();
  double t0 = now();
  run_command(fmt::format("{} {} --child {} features {}/neural.h5 {}/splits.h5 {} {}", env, a.self,
                          features, a.dir, a.dir, vout, sk_splits));
  double ventral_wall = now() - t0;
  const double load_sklearn = load_average();
  run_command(
      fmt::format("{} /usr/bin/python3 {}/benchmarks/speed/sklearn_pls_peer.py {} features {}/neural.h5 "
                  "{}/splits.h5 {} {}",
                  env, VENTRAL_SOURCE_DIR, features, a.dir, a.dir, sk_splits, pout));
  auto v = ventral::h5::File::open_read(vout);
  auto p = ventral::h5::File::open_read(pout);
  auto v_medians = v.read_double("per_split_median"), p_medians = p.read_double("per_split_median");
  double max_pred_rel = 0, max_split_diff = 0;
  for (int k = 0; k < sk_splits; ++k) {
    auto vp = v.read_double(fmt::format("prediction/{}", k)),
         pp = p.read_double(fmt::format("prediction/{}", k));
    double scale = 0;
    for (double x : pp) scale = std::max(scale, std::abs(x));
    for (std::size_t i = 0; i < vp.size(); ++i) {
      max_pred_rel = std::max(max_pred_rel,
                              std::abs(vp[i] - pp[i]) / std::max(std::abs(pp[i]), 1e-3 * scale));
    }
    max_split_diff = std::max(max_split_diff, std::abs(v_medians[k] - p_medians[k]));
  }
  std::vector<double> v_first(v_medians.begin(), v_medians.begin() + sk_splits);
  const double fit_s = v.read_double("fit_seconds")[0], read_s = v.read_double("read_seconds")[0];
  const double sk_s = p.read_double("seconds")[0];
  const double feature_bytes = double(a.stimuli) * double(width) * 4.0;
  const double per_split_ventral = fit_s / 10.0, per_split_sklearn = sk_s / sk_splits;
  const double peak = v.read_double("peak_rss_bytes")[0];
  const double before = v.read_double("rss_before_features_bytes")[0];
  const Index n_test = a.stimuli - static_cast<Index>(std::floor(0.9 * double(a.stimuli)));
  const bool gram = nf::kernel_pls_gram_fits(a.stimuli, a.stimuli - n_test, n_test, width);
  return {{"ventral_pls_form", gram ? "gram" : "direct"},
          {"load_average_before_ventral", load_ventral},
          {"load_average_before_sklearn", load_sklearn},
          {"ventral_rss_at_start_bytes", v.read_double("rss_at_start_bytes")[0]},
          {"ventral_rss_before_features_bytes", before},
          {"ventral_peak_rss_before_features_bytes", v.read_double("peak_rss_before_features_bytes")[0]},
          {"ventral_peak_rss_was_reset", v.read_double("peak_rss_was_reset")[0] == 1.0},
          {"ventral_peak_minus_before_over_features", (peak - before) / feature_bytes},
          {"width", width},
          {"splits_ventral", 10},
          {"splits_sklearn", sk_splits},
          {"ventral_fit_seconds", fit_s},
          {"ventral_read_seconds", read_s},
          {"ventral_wall_seconds", ventral_wall},
          {"sklearn_seconds", sk_s},
          {"speedup_per_split", per_split_sklearn / per_split_ventral},
          {"ventral_score_10_splits", nf::mean(v_medians)},
          {"ventral_score_compared_splits", nf::mean(v_first)},
          {"sklearn_score_compared_splits", nf::mean(p_medians)},
          {"max_abs_split_score_diff", max_split_diff},
          {"max_relative_prediction_diff", max_pred_rel},
          {"ventral_peak_rss_bytes", peak},
          {"sklearn_peak_rss_bytes", p.read_double("peak_rss_bytes")[0]},
          {"feature_matrix_bytes", feature_bytes},
          {"ventral_peak_over_features", peak / feature_bytes}};
}

nlohmann::json bench_sweep(const Args& a) {
  const std::string features = a.dir + "/features_sweep.h5", vout = a.dir + "/ventral_sweep.h5";
  std::vector<std::string> layers;
  for (int l = 0; l < a.sweep_layers; ++l) layers.push_back(fmt::format("layer{:02d}", l));
  const std::string env = thread_env(a.threads);
  double t0 = now();
  run_command(fmt::format("{} {} --child {} {} {}/neural.h5 {}/splits.h5 {} 0", env, a.self, features,
                          fmt::join(layers, ","), a.dir, a.dir, vout));
  double wall = now() - t0;
  auto v = ventral::h5::File::open_read(vout);
  return {{"layers", a.sweep_layers},
          {"width", a.sweep_width},
          {"wall_seconds", wall},
          {"fit_seconds", v.read_double("fit_seconds")[0]},
          {"read_seconds", v.read_double("read_seconds")[0]}};
}

}  // namespace

int main(int argc, char** argv) {
  if (argc >= 8 && std::string(argv[1]) == "--child") return run_child(argv);
  Args a = parse(argc, argv);
  std::filesystem::create_directories(a.dir);
  Matrix z = nf::standard_normal(a.stimuli, kLatent, 1);
  for (Index k = 0; k < kLatent; ++k) z.col(k) *= 4.0 / static_cast<double>(k + 1);
  write_neural_and_splits(a.dir, z, a.sites);
  nlohmann::json rows = nlohmann::json::array();
  fmt::print(
      "memory: peak = VmHWM of the ventral child after reading and fitting, reset just before\n"
      "reading features; before = its VmRSS then; X = stimuli x width float32 bytes\n");
  fmt::print("{:>7} {:>6} {:>10} {:>10} {:>9} {:>8} {:>10} {:>10} {:>7} {:>14}\n", "width", "form",
             "ventral s", "sklearn s", "sk splits", "speedup", "score diff", "pred diff", "peak/X",
             "(peak-bef.)/X");
  for (std::size_t w = 0; w < a.widths.size(); ++w) {
    write_features(fmt::format("{}/features_{}.h5", a.dir, a.widths[w]), z, {a.widths[w]}, 1000 + w);
    auto row = bench_width(a, a.widths[w], a.sklearn_splits[w]);
    fmt::print(
        "{:>7} {:>6} {:>10.2f} {:>10.2f} {:>9} {:>7.1f}x {:>10.2e} {:>10.2e} {:>7.2f} {:>14.2f}\n",
        a.widths[w], row["ventral_pls_form"].get<std::string>(),
        row["ventral_fit_seconds"].get<double>(), row["sklearn_seconds"].get<double>(),
        a.sklearn_splits[w], row["speedup_per_split"].get<double>(),
        row["max_abs_split_score_diff"].get<double>(), row["max_relative_prediction_diff"].get<double>(),
        row["ventral_peak_over_features"].get<double>(),
        row["ventral_peak_minus_before_over_features"].get<double>());
    std::fflush(stdout);
    rows.push_back(row);
    std::filesystem::remove(fmt::format("{}/features_{}.h5", a.dir, a.widths[w]));
  }
  nlohmann::json sweep;
  if (a.sweep_layers > 0) {
    write_features(a.dir + "/features_sweep.h5", z, std::vector<Index>(a.sweep_layers, a.sweep_width),
                   5000);
    sweep = bench_sweep(a);
    fmt::print("{}-layer sweep (width {}): {:.2f} s wall, {:.2f} s fitting, {:.2f} s reading\n",
               a.sweep_layers, a.sweep_width, sweep["wall_seconds"].get<double>(),
               sweep["fit_seconds"].get<double>(), sweep["read_seconds"].get<double>());
  }
  const char* coretype = std::getenv("OPENBLAS_CORETYPE");
  nlohmann::json out = {
      {"benchmark", "neural_fit PLS-25 vs sklearn PLSRegression"},
      {"threads", a.threads},
      {"openblas_coretype", coretype ? coretype : "(auto-detected)"},
      {"stimuli", a.stimuli},
      {"sites", a.sites},
      {"memory",
       "peak = VmHWM of the ventral child process after reading the layer and fitting all "
       "splits, high-water mark reset just before reading (so it includes the process "
       "baseline); before = its VmRSS at that reset, after malloc_trim; feature_matrix_bytes = stimuli x "
       "width x 4 (float32)"},
      {"widths", rows},
      {"sweep", sweep}};
  std::ofstream(a.json) << out.dump(2) << "\n";
  fmt::print("wrote {}\n", a.json);
  return 0;
}
