// Peak memory of one recurrent training step, BPTT against C-RBP, as the number of steps T
// grows: an hGRU on a 64 x 64 input, 32 channels, batch 16, 7 x 7 horizontal kernel, loss =
// MSE + 10 x Lipschitz penalty (i.e. C-BPTT against C-RBP), backward, SGD step.
// Each (engine, T) runs in a fresh child process (this program re-executed with --child) so
// that peak RSS values do not mix. Expected: C-RBP flat in T, BPTT growing linearly.
//
// Usage: bench_recurrent_memory [--steps 5,10,20,40] [--size 64] [--channels 32] [--batch 16]
//                               [--kernel 7] [--threads N] [--json OUT.json]
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fmt/format.h>
#include <torch/torch.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "common/atomic_output.h"
#include "common/error.h"
#include "recurrent_cells/crbp.h"
#include "recurrent_cells/hgru.h"

namespace {

namespace rc = ventral::recurrent;

struct Args {
  std::vector<int64_t> steps{5, 10, 20, 40};
  int64_t size = 64, channels = 32, batch = 16, kernel = 7;
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  std::string json = std::string(VENTRAL_SOURCE_DIR) + "/benchmarks/speed/results/recurrent_memory.json";
  std::string child_engine;  // set in a child: "bptt" or "crbp"
  int64_t child_steps = 0;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i < argc; ++i) {
    const std::string flag = argv[i];
    if (i + 1 >= argc) ventral::fail("{}: missing value", flag);
    const std::string value = argv[++i];
    if (flag == "--steps") {
      args.steps.clear();
      std::stringstream list(value);
      for (std::string item; std::getline(list, item, ',');) args.steps.push_back(std::stoll(item));
    } else if (flag == "--size") args.size = std::stoll(value);
    else if (flag == "--channels") args.channels = std::stoll(value);
    else if (flag == "--batch") args.batch = std::stoll(value);
    else if (flag == "--kernel") args.kernel = std::stoll(value);
    else if (flag == "--threads") args.threads = std::stoi(value);
    else if (flag == "--json") args.json = value;
    else if (flag == "--child") {
      args.child_engine = value;
      if (i + 1 >= argc) ventral::fail("--child: expected ENGINE STEPS");
      args.child_steps = std::stoll(argv[++i]);
    } else {
      ventral::fail("unknown flag '{}'", flag);
    }
  }
  return args;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

// The child: one training step, then "before peak seconds" on stdout.
int run_child(const Args& args) {
  at::set_num_threads(args.threads);
  torch::manual_seed(0);
  const int64_t T = args.child_steps;
  rc::HGru cell(rc::CellOptions(args.channels).kernel_size(args.kernel).timesteps(T).step_scale(false));
  torch::optim::SGD sgd(cell->parameters(), torch::optim::SGDOptions(1e-3).momentum(0.9));
  const auto x = torch::randn({args.batch, args.channels, args.size, args.size});
  const auto target = torch::randn_like(x);
  const double before = peak_rss_mib();
  const auto start = std::chrono::steady_clock::now();
  sgd.zero_grad();
  const auto rollout = args.child_engine == "crbp" ? rc::crbp_rollout(*cell, x, T)
                                                   : rc::bptt_rollout(*cell, x, T);
  const auto loss = (rollout.state - target).pow(2).mean() + 10.0 * rc::lipschitz_penalty(rollout);
  loss.backward();
  sgd.step();
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  fmt::print("{} {} {}\n", before, peak_rss_mib(), seconds);
  return 0;
}

struct Measurement {
  std::string engine;
  int64_t steps;
  double before_mib, peak_mib, seconds;
};

// Runs this program as a child and parses its line.
Measurement measure(const std::string& self, const Args& args, const std::string& engine,
                    int64_t steps) {
  int fds[2];
  if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
  const std::vector<std::string> argv_s = {self,         "--child",
                                           engine,       std::to_string(steps),
                                           "--size",     std::to_string(args.size),
                                           "--channels", std::to_string(args.channels),
                                           "--batch",    std::to_string(args.batch),
                                           "--kernel",   std::to_string(args.kernel),
                                           "--threads",  std::to_string(args.threads)};
  const pid_t pid = fork();
  if (pid < 0) throw std::runtime_error("fork failed");
  if (pid == 0) {
    dup2(fds[1], STDOUT_FILENO);
    close(fds[0]);
    close(fds[1]);
    std::vector<char*> argv;
    for (const auto& s : argv_s) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    execv(self.c_str(), argv.data());
    _exit(127);
  }
  close(fds[1]);
  std::string out;
  char buffer[256];
  ssize_t n;
  while ((n = read(fds[0], buffer, sizeof buffer)) > 0) out.append(buffer, static_cast<size_t>(n));
  close(fds[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    throw std::runtime_error(fmt::format("child {} T={} failed (status {})", engine, steps, status));
  }
  Measurement m{engine, steps, 0, 0, 0};
  std::istringstream(out) >> m.before_mib >> m.peak_mib >> m.seconds;
  return m;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Args args = parse(argc, argv);
    if (!args.child_engine.empty()) return run_child(args);
    const std::string self = "/proc/self/exe";
    char path[4096];
    const ssize_t len = readlink(self.c_str(), path, sizeof path - 1);
    const std::string exe = len > 0 ? std::string(path, static_cast<size_t>(len)) : std::string(argv[0]);

    std::vector<Measurement> rows;
    fmt::print("hGRU training step, {}x{} input, {} channels, batch {}, {}x{} kernel, {} threads\n",
               args.size, args.size, args.channels, args.batch, args.kernel, args.kernel, args.threads);
    fmt::print("{:>6} {:>5} {:>14} {:>14} {:>14} {:>9}\n", "engine", "T", "peak RSS MiB", "before MiB",
               "step MiB", "seconds");
    for (const std::string engine : {"bptt", "crbp"}) {
      for (const int64_t T : args.steps) {
        const auto m = measure(exe, args, engine, T);
        fmt::print("{:>6} {:>5} {:>14.0f} {:>14.0f} {:>14.0f} {:>9.2f}\n", engine, T, m.peak_mib,
                   m.before_mib, m.peak_mib - m.before_mib, m.seconds);
        std::fflush(stdout);
        rows.push_back(m);
      }
    }
    auto ratio = [&](const std::string& engine, bool step_only) {
      double first = 0, last = 0;
      for (const auto& m : rows) {
        if (m.engine != engine) continue;
        const double v = step_only ? m.peak_mib - m.before_mib : m.peak_mib;
        if (first == 0) first = v;
        last = v;
      }
      return last / first;
    };
    fmt::print(
        "peak RSS ratio T={} / T={}: bptt {:.2f}x, crbp {:.2f}x (step-only: bptt {:.2f}x, crbp {:.2f}x)\n",
        args.steps.back(), args.steps.front(), ratio("bptt", false), ratio("crbp", false),
        ratio("bptt", true), ratio("crbp", true));

    std::string json = fmt::format(
        "{{\n  \"benchmark\": \"recurrent_memory\",\n  \"cell\": \"hgru\",\n  \"size\": {},\n  \"channels\": {},\n"
        "  \"batch\": {},\n  \"kernel\": {},\n  \"threads\": {},\n  \"loss\": \"mse + 10 * lipschitz_penalty\",\n"
        "  \"ratio_last_first\": {{\"bptt\": {:.4f}, \"crbp\": {:.4f}, \"bptt_step\": {:.4f}, \"crbp_step\": {:.4f}}},\n"
        "  \"rows\": [\n",
        args.size, args.channels, args.batch, args.kernel, args.threads, ratio("bptt", false),
        ratio("crbp", false), ratio("bptt", true), ratio("crbp", true));
    for (size_t i = 0; i < rows.size(); ++i) {
      const auto& m = rows[i];
      json += fmt::format(
          "    {{\"engine\": \"{}\", \"steps\": {}, \"peak_rss_mib\": {:.1f}, \"rss_before_step_mib\": {:.1f}, "
          "\"step_mib\": {:.1f}, \"seconds\": {:.3f}}}{}\n",
          m.engine, m.steps, m.peak_mib, m.before_mib, m.peak_mib - m.before_mib, m.seconds,
          i + 1 < rows.size() ? "," : "");
    }
    json += "  ]\n}\n";
    ventral::write_text_file(args.json, json);
    fmt::print("wrote {}\n", args.json);
    return 0;
  } catch (const std::exception& e) {
    fmt::print(stderr, "bench_recurrent_memory: {}\n", e.what());
    return 1;
  }
}
