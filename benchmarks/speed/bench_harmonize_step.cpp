// The cost of a harmonized training step (the ClickMe alignment loss of
// alignment/harmonization_loss.h, which back-propagates through the input gradient: double
// backprop) against a plain cross-entropy step of the same model and batch, for every
// trainable model family; a family whose layers have no double backward is reported with the
// error instead of a time.
//
// The process tunes malloc as `ventral` does (common/allocator.h): without it, the large
// short-lived tensors of double backprop cost page faults that `ventral train` does not pay.
// --profile writes a Chrome trace (LibTorch's RecordProfile) of one harmonized step per model.
//
//   bench_harmonize_step [--batch 16] [--threads 2] [--repeats 3] [--only MODEL] [--json OUT.json]
//                        [--profile TRACE.json]
#include <ATen/Parallel.h>
#include <fmt/core.h>
#include <torch/csrc/autograd/profiler_legacy.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "alignment/harmonization_loss.h"
#include "common/allocator.h"
#include "models/registry.h"

namespace {

struct Case {
  std::string model;
  int size;
  std::map<std::string, std::string> options;
};

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

template <typename Step>
double median_seconds(int repeats, Step step) {
  step();  // warm-up
  std::vector<double> seconds;
  for (int r = 0; r < repeats; ++r) {
    const auto start = std::chrono::steady_clock::now();
    step();
    seconds.push_back(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  }
  return median(seconds);
}

}  // namespace

int main(int argc, char** argv) {
  int batch = 16, threads = 2, repeats = 3;
  ventral::tune_allocator();
  std::string json_path, only, profile_path;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string key = argv[i], value = argv[i + 1];
    if (key == "--batch") batch = std::stoi(value);
    else if (key == "--threads") threads = std::stoi(value);
    else if (key == "--repeats") repeats = std::stoi(value);
    else if (key == "--json") json_path = value;
    else if (key == "--only") only = value;
    else if (key == "--profile") profile_path = value;
  }
  at::set_num_threads(threads);
  torch::manual_seed(0);
  const std::vector<Case> cases = {
      {"hmax-wide", 224, {{"num_classes", "10"}}},
      {"hmax-wide", 64, {{"num_classes", "10"}, {"input_size", "64"}}},
      {"hmax-bp", 224, {{"num_classes", "10"}}},
      {"hmax-hgru", 64, {{"num_classes", "10"}, {"input_size", "64"}}},
      {"hmax-gamma", 64, {{"num_classes", "10"}, {"input_size", "64"}}},
      {"pathfinder-hgru", 64, {{"num_classes", "2"}, {"input_size", "64"}}},
      {"pathfinder-cnn", 64, {{"num_classes", "2"}, {"input_size", "64"}}},
  };
  fmt::print(
      "plain vs harmonized training step (forward + backward), batch {}, {} threads, median of {}\n",
      batch, threads, repeats);
  fmt::print("{:<16} {:>5} {:>10} {:>14} {:>7}\n", "model", "px", "plain s", "harmonized s", "ratio");
  std::string json = "[";
  for (const auto& c : cases) {
    if (!only.empty() && c.model != only) continue;
    std::string entry;
    try {
      auto model = ventral::models::create_model(c.model, {{}, c.options});
      model->train();
      const auto images = torch::rand({batch, model->input_channels(), c.size, c.size});
      const auto labels = torch::randint(0, std::stoi(c.options.at("num_classes")), {batch},
                                         torch::kInt64);
      const auto maps = torch::rand({batch, c.size, c.size});
      const auto tokens = torch::ones({batch}, torch::kInt64);
      const double plain = median_seconds(repeats, [&] {
        model->zero_grad();
        torch::nn::functional::cross_entropy(model->forward(images), labels).backward();
      });
      std::vector<torch::Tensor> parameters;
      for (const auto& p : model->parameters()) {
        if (p.requires_grad()) parameters.push_back(p);
      }
      auto harmonized_step = [&] {
        model->zero_grad();
        auto x = images.clone().requires_grad_(true);
        auto logits = model->forward(x);
        auto loss = torch::nn::functional::cross_entropy(logits, labels) +
                    ventral::alignment::harmonization_loss(logits, x, labels, maps, tokens);
        // as training::train_step does: gradients for the parameters only, not the images
        torch::autograd::backward({loss}, {}, c10::nullopt, false, parameters);
      };
      const double harmonized = median_seconds(repeats, harmonized_step);
      if (!profile_path.empty()) {
        torch::autograd::profiler::RecordProfile profile(profile_path);
        harmonized_step();
      }
      fmt::print("{:<16} {:>5} {:>10.3f} {:>14.3f} {:>6.2f}x\n", c.model, c.size, plain, harmonized,
                 harmonized / plain);
      entry = fmt::format(
          R"({{"model": "{}", "size": {}, "plain_s": {:.4f}, "harmonized_s": {:.4f}, "ratio": {:.3f}}})",
          c.model, c.size, plain, harmonized, harmonized / plain);
    } catch (const std::exception& e) {
      std::string message = e.what();
      message = message.substr(0, message.find('\n'));
      fmt::print("{:<16} {:>5} failed: {}\n", c.model, c.size, message);
      std::string escaped;
      for (char ch : message) escaped += (ch == '"' || ch == '\\') ? ' ' : ch;
      entry = fmt::format(R"({{"model": "{}", "size": {}, "error": "{}"}})", c.model, c.size, escaped);
    }
    json += (json.size() > 1 ? ", " : "") + entry;
  }
  json += "]\n";
  if (!json_path.empty()) std::ofstream(json_path) << json;
  return 0;
}
