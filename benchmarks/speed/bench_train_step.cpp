// Training throughput of hmax-wide (forward + backward + SGD step), in images/s and in
// achieved GFLOP/s, next to a plain stack of 3x3 convolutions measured the same way in
// the same run: the stack is what LibTorch's convolutions reach on this machine, so the
// ratio says how much of that hmax-wide's pyramid, pooling and resizing give away.
// Also reports the peak RSS after the measured steps.
//
//   bench_train_step [--size 224] [--batch 32] [--threads 2] [--repeats 5]
//                    [--model-opt key=value]... [--json OUT.json]
#include <ATen/Parallel.h>
#include <fmt/core.h>
#include <sys/resource.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>

#include "hmax/hmax_wide.h"
#include "models/registry.h"

namespace {

struct Args {
  int size = 224;
  int batch = 32;
  int threads = 2;
  int repeats = 5;
  std::map<std::string, std::string> model_options;
  std::string json;
};

Args parse(int argc, char** argv) {
  Args args;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string flag = argv[i], value = argv[i + 1];
    if (flag == "--size") {
      args.size = std::stoi(value);
    } else if (flag == "--batch") {
      args.batch = std::stoi(value);
    } else if (flag == "--threads") {
      args.threads = std::stoi(value);
    } else if (flag == "--repeats") {
      args.repeats = std::stoi(value);
    } else if (flag == "--model-opt") {
      auto eq = value.find('=');
      args.model_options[value.substr(0, eq)] = value.substr(eq + 1);
    } else if (flag == "--json") {
      args.json = value;
    } else {
      throw std::invalid_argument("unknown flag " + flag);
    }
  }
  return args;
}

// Median seconds of `repeats` training steps after one warm-up step.
double step_seconds(torch::nn::Module& model,
                    const std::function<torch::Tensor(const torch::Tensor&)>& forward,
                    const torch::Tensor& images, const torch::Tensor& labels, int repeats) {
  torch::optim::SGD optimizer(model.parameters(), torch::optim::SGDOptions(0.01).momentum(0.9));
  std::vector<double> times;
  for (int r = 0; r <= repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    optimizer.zero_grad();
    auto loss = torch::nn::functional::cross_entropy(forward(images), labels);
    loss.backward();
    optimizer.step();
    const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (r > 0) times.push_back(s);
  }
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

// A VGG-style stack of 3x3 convolutions with ReLU: the machine's convolution speed.
struct ConvStack {
  torch::nn::Sequential net;
  int64_t flops = 0;
};

ConvStack conv_stack(int size, int classes) {
  ConvStack stack;
  const std::vector<std::pair<int64_t, int64_t>> plan = {{3, 64}, {64, 128}, {128, 256}, {256, 256}};
  int64_t side = size / 2;  // a stride-2 stem keeps 224 px tractable on a CPU
  stack.net->push_back(torch::nn::Conv2d(torch::nn::Conv2dOptions(3, 64, 3).stride(2).padding(1)));
  stack.net->push_back(torch::nn::ReLU());
  stack.flops += 2 * side * side * 64 * 3 * 9;
  for (std::size_t i = 1; i < plan.size(); ++i) {
    stack.net->push_back(torch::nn::MaxPool2d(torch::nn::MaxPool2dOptions(2)));
    side /= 2;
    stack.net->push_back(
        torch::nn::Conv2d(torch::nn::Conv2dOptions(plan[i].first, plan[i].second, 3).padding(1)));
    stack.net->push_back(torch::nn::ReLU());
    stack.flops += 2 * side * side * plan[i].second * plan[i].first * 9;
  }
  stack.net->push_back(torch::nn::AdaptiveAvgPool2d(torch::nn::AdaptiveAvgPool2dOptions(1)));
  stack.net->push_back(torch::nn::Flatten());
  stack.net->push_back(torch::nn::Linear(256, classes));
  stack.flops += 2 * 256 * classes;
  return stack;
}

double peak_rss_mib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return static_cast<double>(usage.ru_maxrss) / 1024.0;
}

}  // namespace

int main(int argc, char** argv) {
  const Args args = parse(argc, argv);
  at::set_num_threads(args.threads);
  torch::manual_seed(0);
  auto options = args.model_options;
  options.emplace("input_size", std::to_string(args.size));
  options.emplace("num_classes", "1000");
  auto model = std::dynamic_pointer_cast<ventral::hmax::HmaxWideImpl>(
      ventral::models::create_model("hmax-wide", {{}, options}));
  model->train();
  const int64_t classes = model->options.num_classes();
  auto images = torch::randn({args.batch, model->options.in_chans(), args.size, args.size});
  auto labels = torch::randint(classes, {args.batch});

  const double rss_before = peak_rss_mib();
  const double hmax_s = step_seconds(
      *model, [&](const torch::Tensor& x) { return model->forward(x); }, images, labels, args.repeats);
  const double rss_after = peak_rss_mib();
  const double hmax_flops = 3.0 * static_cast<double>(model->forward_flops(args.size, args.size)) *
                            args.batch;

  auto stack = conv_stack(args.size, static_cast<int>(classes));
  auto stack_images = torch::randn({args.batch, 3, args.size, args.size});
  const double stack_s = step_seconds(
      *stack.net, [&](const torch::Tensor& x) { return stack.net->forward(x); }, stack_images, labels,
      args.repeats);
  const double stack_flops = 3.0 * static_cast<double>(stack.flops) * args.batch;

  const double hmax_gflops = hmax_flops / hmax_s / 1e9, stack_gflops = stack_flops / stack_s / 1e9;
  fmt::print(
      "training step, batch {} at {}x{}, {} threads, median of {} steps (FLOPs = 3 x forward convs)\n",
      args.batch, args.size, args.size, args.threads, args.repeats);
  fmt::print("{:<22} {:>10} {:>12} {:>10} {:>10}\n", "model", "img/s", "GFLOP/step", "GFLOP/s",
             "s/step");
  fmt::print("{:<22} {:>10.1f} {:>12.2f} {:>10.1f} {:>10.3f}\n", "hmax-wide", args.batch / hmax_s,
             hmax_flops / 1e9, hmax_gflops, hmax_s);
  fmt::print("{:<22} {:>10.1f} {:>12.2f} {:>10.1f} {:>10.3f}\n", "3x3 conv stack (peer)",
             args.batch / stack_s, stack_flops / 1e9, stack_gflops, stack_s);
  fmt::print(
      "hmax-wide achieves {:.0f}% of the conv stack's GFLOP/s; peak RSS {:.0f} MiB (before the "
      "steps {:.0f} MiB)\n",
      100.0 * hmax_gflops / stack_gflops, rss_after, rss_before);
  if (!args.json.empty()) {
    std::ofstream out(args.json);
    out << fmt::format(
        "{{\n  \"benchmark\": \"hmax-wide training step vs 3x3 conv stack\",\n  \"size\": {},\n  \"batch\": {},\n"
        "  \"threads\": {},\n  \"repeats\": {},\n  \"hmax_images_per_s\": {},\n  \"hmax_gflop_per_step\": {},\n"
        "  \"hmax_gflops\": {},\n  \"stack_images_per_s\": {},\n  \"stack_gflops\": {},\n"
        "  \"ratio_gflops\": {},\n  \"peak_rss_mib\": {},\n  \"rss_before_steps_mib\": {}\n}}\n",
        args.size, args.batch, args.threads, args.repeats, args.batch / hmax_s, hmax_flops / 1e9,
        hmax_gflops, args.batch / stack_s, stack_gflops, hmax_gflops / stack_gflops, rss_after,
        rss_before);
  }
  return 0;
}
