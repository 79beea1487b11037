// Trainer parts against their formulas: schedules, weight-decay grouping, label
// smoothing, top-k, optimiser state round trips and checkpoint files.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "common/error.h"
#include "models/registry.h"
#include "tests/test_paths.h"
#include "training/checkpoint.h"
#include "training/evaluate.h"
#include "training/losses.h"
#include "training/lr_schedule.h"
#include "training/optimizer_setup.h"

using namespace ventral::training;

TEST_CASE("learning rates at chosen steps match the schedule formulas", "[training]") {
  ScheduleOptions o;
  o.lr = 0.1;
  o.epochs = 10;
  o.warmup_epochs = 2;
  o.warmup_lr = 0.01;
  o.min_lr = 0.001;
  // Warm-up: linear from warmup_lr.
  CHECK(learning_rate(o, 0.0) == Approx(0.01));
  CHECK(learning_rate(o, 1.0) == Approx(0.055));
  // Cosine after the warm-up: min + (lr - min)(1 + cos(pi (t - W)/(E - W)))/2.
  CHECK(learning_rate(o, 2.0) == Approx(0.1));
  CHECK(learning_rate(o, 6.0) == Approx(0.001 + 0.099 * 0.5));
  CHECK(learning_rate(o, 4.0) == Approx(0.001 + 0.099 * 0.5 * (1 + std::cos(M_PI * 0.25))));
  CHECK(learning_rate(o, 10.0) == Approx(0.001));
  o.kind = ScheduleKind::step;
  o.warmup_epochs = 0;
  o.decay_epochs = 3;
  o.decay_rate = 0.5;
  CHECK(learning_rate(o, 2.99) == Approx(0.1));
  CHECK(learning_rate(o, 3.0) == Approx(0.05));
  CHECK(learning_rate(o, 7.5) == Approx(0.025));
  o.kind = ScheduleKind::multistep;
  o.decay_milestones = {4, 8};
  o.decay_rate = 0.1;
  CHECK(learning_rate(o, 3.9) == Approx(0.1));
  CHECK(learning_rate(o, 4.0) == Approx(0.01));
  CHECK(learning_rate(o, 9.0) == Approx(0.001));
  CHECK_THROWS_AS(parse_schedule_kind("poly"), ventral::Error);
}

TEST_CASE("weight decay applies to weights, never to biases or norm parameters", "[training]") {
  torch::nn::Sequential net(torch::nn::Conv2d(torch::nn::Conv2dOptions(1, 2, 3)),
                            torch::nn::BatchNorm2d(2), torch::nn::Flatten(), torch::nn::Linear(2, 2));
  for (const auto& name : {"sgd", "adamw"}) {
    OptimizerOptions o;
    o.name = name;
    o.weight_decay = 0.5;
    auto opt = make_optimizer(*net, o);
    REQUIRE(opt->param_groups().size() == 2);
    for (const auto& p : opt->param_groups()[0].params()) CHECK(p.dim() >= 2);
    for (const auto& p : opt->param_groups()[1].params()) CHECK(p.dim() < 2);
    CHECK(opt->param_groups()[0].params().size() == 2);  // conv and linear weights
    CHECK(opt->param_groups()[1].params().size() == 4);  // conv bias, BN weight and bias, linear bias
  }
  // One SGD step with zero gradients: decayed weights shrink by lr * wd, the rest stay.
  OptimizerOptions o;
  o.lr = 0.1;
  o.momentum = 0;
  o.weight_decay = 0.5;
  auto opt = make_optimizer(*net, o);
  std::vector<torch::Tensor> before;
  for (const auto& p : net->parameters()) {
    before.push_back(p.detach().clone());
    p.mutable_grad() = torch::zeros_like(p);
  }
  opt->step();
  auto params = net->parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    auto expected = params[i].dim() >= 2 ? before[i] * (1 - 0.1 * 0.5) : before[i];
    CHECK(torch::allclose(params[i].detach(), expected));
  }
}

TEST_CASE("label smoothing follows timm's formula", "[training]") {
  auto logits = torch::tensor({{2.0f, 0.0f, -1.0f}, {0.5f, 0.5f, 3.0f}});
  auto labels = torch::tensor({0, 2}, torch::kLong);
  auto logp = torch::log_softmax(logits, 1);
  const double nll = -(logp[0][0].item<double>() + logp[1][2].item<double>()) / 2;
  const double uniform = -logp.mean(1).mean().item<double>();
  CHECK(smoothed_cross_entropy(logits, labels, 0.0).item<double>() == Approx(nll));
  CHECK(smoothed_cross_entropy(logits, labels, 0.1).item<double>() == Approx(0.9 * nll + 0.1 * uniform));
}

TEST_CASE("top-1 and top-5 hits", "[training]") {
  auto logits = torch::tensor({{0.f, 1.f, 2.f, 3.f, 4.f, 5.f}, {5.f, 4.f, 3.f, 2.f, 1.f, 0.f}});
  auto labels = torch::tensor({5, 5}, torch::kLong);
  auto [top1, top5] = topk_hits(logits, labels);
  CHECK(top1 == 1);
  CHECK(top5 == 1);  // the second row ranks class 5 last
}

TEST_CASE("optimizer state survives a checkpoint and continues identically", "[training]") {
  for (const std::string name : {"sgd", "adamw"}) {
    torch::manual_seed(3);
    torch::nn::Linear a(4, 3), b(4, 3);
    {
      torch::NoGradGuard g;
      for (std::size_t i = 0; i < a->parameters().size(); ++i)
        b->parameters()[i].copy_(a->parameters()[i]);
    }
    OptimizerOptions o;
    o.name = name;
    auto opt_a = make_optimizer(*a, o);
    auto x = torch::randn({8, 4});
    auto step = [&](torch::nn::Linear& m, torch::optim::Optimizer& opt) {
      opt.zero_grad();
      m->forward(x).pow(2).sum().backward();
      opt.step();
    };
    step(a, *opt_a);
    const auto path = ventral::testing::temp_path("optim_" + name + ".pt");
    Checkpoint c;
    c.arch = "linear";
    c.state_dict = module_state_dict(*a);
    c.optimizer = optimizer_state_dict(*opt_a, name);
    save_checkpoint(path, c);
    auto loaded = load_checkpoint(path);
    load_module_state_dict(*b, loaded.state_dict, path);
    auto opt_b = make_optimizer(*b, o);
    load_optimizer_state_dict(*opt_b, name, loaded.optimizer);
    step(a, *opt_a);
    step(b, *opt_b);
    for (std::size_t i = 0; i < a->parameters().size(); ++i) {
      CHECK(torch::equal(a->parameters()[i], b->parameters()[i]));
    }
    std::filesystem::remove(path);
  }
}

TEST_CASE("checkpoint errors name the file and what is wrong", "[training]") {
  const auto path = ventral::testing::temp_path("not_a_checkpoint.pt");
  { std::ofstream(path) << "hello"; }
  CHECK_THROWS_WITH(load_checkpoint(path), Catch::Contains(path) && Catch::Contains("not a checkpoint"));
  CHECK_THROWS_WITH(load_checkpoint(path + ".missing"), Catch::Contains("cannot open"));
  torch::nn::Linear net(2, 2);
  auto state = module_state_dict(*net);
  state["weight"] = torch::zeros({3, 3});
  CHECK_THROWS_WITH(load_module_state_dict(*net, state, "x.pt"), Catch::Contains("'weight' has shape"));
  state.erase("weight");
  CHECK_THROWS_WITH(load_module_state_dict(*net, state, "x.pt"), Catch::Contains("lacks 'weight'"));
  std::filesystem::remove(path);
}
