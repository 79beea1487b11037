// layers::BatchNorm2d against torch::nn::BatchNorm2d: forward, running statistics, first
// derivatives and, above all, the fused double backward against LibTorch's own
// batchnorm_double_backward, with every combination of upstream gradients.
#include <torch/torch.h>

#include <catch2/catch.hpp>

#include "common/error.h"
#include "layers/batch_norm.h"

namespace {

using ventral::layers::BatchNorm2d;

struct Pair {
  BatchNorm2d fused{4};
  torch::nn::BatchNorm2d native{4};
  Pair() {
    torch::NoGradGuard no_grad;
    fused->weight.copy_(torch::tensor({0.5f, 1.5f, -0.7f, 2.0f}));
    fused->bias.copy_(torch::tensor({0.1f, -0.2f, 0.3f, 0.0f}));
    native->weight.copy_(fused->weight);
    native->bias.copy_(fused->bias);
  }
};

void require_close(const torch::Tensor& a, const torch::Tensor& b, double tol = 2e-4) {
  REQUIRE(a.defined());
  REQUIRE(b.defined());
  const double scale = std::max(1.0, b.abs().max().item<double>());
  INFO("max difference " << (a - b).abs().max().item<double>() << " scale " << scale);
  REQUIRE((a - b).abs().max().item<double>() <= tol * scale);
}

// Gradients of L = sum(gx r1) [+ sum(gw r2) + sum(gb r3)] with respect to (gO, x, weight),
// where (gx, gw, gb) is the first backward of module(x) with upstream gO.
std::vector<torch::Tensor> second_order(
    torch::nn::Module& module, const std::function<torch::Tensor(const torch::Tensor&)>& forward,
    const torch::Tensor& x0, const torch::Tensor& g0, bool use_weight_grads) {
  auto x = x0.clone().requires_grad_(true);
  auto g_out = g0.clone().requires_grad_(true);
  auto weight = module.named_parameters()["weight"], bias = module.named_parameters()["bias"];
  auto y = forward(x);
  auto first = torch::autograd::grad({y}, {x, weight, bias}, {g_out}, true, true);
  torch::manual_seed(3);
  auto loss = (first[0] * torch::randn_like(first[0])).sum();
  if (use_weight_grads)
    loss = loss + (first[1] * torch::randn_like(first[1])).sum() +
           (first[2] * torch::randn_like(first[2])).sum();
  return torch::autograd::grad({loss}, {g_out, x, weight}, {}, false, false, true);
}

}  // namespace

TEST_CASE("layers::BatchNorm2d: forward and running statistics as torch::nn::BatchNorm2d") {
  torch::manual_seed(0);
  Pair p;
  const auto x = torch::randn({3, 4, 5, 6}) * 2 + 1;
  require_close(p.fused->forward(x), p.native->forward(x), 1e-6);
  require_close(p.fused->forward(x * 0.5), p.native->forward(x * 0.5), 1e-6);
  require_close(p.fused->running_mean, p.native->running_mean, 1e-6);
  require_close(p.fused->running_var, p.native->running_var, 1e-6);
  REQUIRE(p.fused->num_batches_tracked.item<int64_t>() == 2);
  p.fused->eval();
  p.native->eval();
  require_close(p.fused->forward(x), p.native->forward(x), 1e-6);
  // the state dict keys are torch::nn::BatchNorm2d's, so checkpoints load either way
  std::vector<std::string> a, b;
  for (const auto& item : p.fused->named_parameters()) a.push_back(item.key());
  for (const auto& item : p.fused->named_buffers()) a.push_back(item.key());
  for (const auto& item : p.native->named_parameters()) b.push_back(item.key());
  for (const auto& item : p.native->named_buffers()) b.push_back(item.key());
  REQUIRE(a == b);
}

TEST_CASE("layers::BatchNorm2d: first derivatives as LibTorch's") {
  torch::manual_seed(1);
  Pair p;
  const auto x0 = torch::randn({2, 4, 7, 3});
  const auto g = torch::randn({2, 4, 7, 3});
  auto xa = x0.clone().requires_grad_(true), xb = x0.clone().requires_grad_(true);
  p.fused->forward(xa).backward(g);
  p.native->forward(xb).backward(g);
  require_close(xa.grad(), xb.grad(), 1e-5);
  require_close(p.fused->weight.grad(), p.native->weight.grad(), 1e-5);
  require_close(p.fused->bias.grad(), p.native->bias.grad(), 1e-5);
}

TEST_CASE("layers::BatchNorm2d: the fused double backward equals LibTorch's batchnorm_double_backward") {
  for (bool use_weight_grads : {false, true}) {
    torch::manual_seed(2);
    Pair p;
    const auto x = torch::randn({3, 4, 6, 5}) * 1.7 - 0.4;
    const auto g = torch::randn({3, 4, 6, 5});
    auto fused = second_order(
        *p.fused, [&](const torch::Tensor& t) { return p.fused->forward(t); }, x, g, use_weight_grads);
    auto native = second_order(
        *p.native, [&](const torch::Tensor& t) { return p.native->forward(t); }, x, g, use_weight_grads);
    INFO("with weight and bias gradients in the loss: " << use_weight_grads);
    for (int k = 0; k < 3; ++k) {
      INFO("gradient " << k << " (grad_out, input, weight)");
      require_close(fused[k], native[k]);
    }
  }
}

TEST_CASE(
    "layers::BatchNorm2d: the double backward reaches the weights through an input-gradient loss") {
  // The harmonization loss's pattern: a penalty on d(sum y)/dx must move the BN weight.
  torch::manual_seed(4);
  Pair p;
  auto x = torch::randn({2, 4, 5, 5}).requires_grad_(true);
  auto y = torch::relu(p.fused->forward(x)).pow(2).sum();
  auto gx = torch::autograd::grad({y}, {x}, {}, true, true)[0];
  gx.pow(2).mean().backward();
  REQUIRE(p.fused->weight.grad().defined());
  REQUIRE(p.fused->weight.grad().abs().sum().item<double>() > 0);
}

TEST_CASE("layers::BatchNorm2d: a third derivative is refused, not silently zero") {
  Pair p;
  auto x = torch::randn({2, 4, 3, 3}).requires_grad_(true);
  auto y = p.fused->forward(x).pow(3).sum();
  auto gx = torch::autograd::grad({y}, {x}, {}, true, true)[0];
  auto gxx = gx.pow(2).sum();
  REQUIRE_THROWS_WITH(torch::autograd::grad({gxx}, {x}, {}, true, true),
                      Catch::Contains("third derivatives are refused"));
}
