// The trainable HMAX family: pyramid sides, C-stage semantics, Gabor-initialised S1, RBF
// S2 tuning, named layers, FLOP counts, option errors, gradients reaching every parameter.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "common/error.h"
#include "hmax/gabor_bank.h"
#include "hmax/hmax_bp.h"
#include "hmax/hmax_wide.h"
#include "hmax/rbf_s2.h"
#include "hmax/scale_pool.h"
#include "hmax/scale_pyramid.h"
#include "hmax/trainable_s1.h"
#include "models/registry.h"

using namespace ventral::hmax;
using namespace ventral::models;

namespace {

std::shared_ptr<VisionModelImpl> make(const std::string& name,
                                      std::map<std::string, std::string> options) {
  return create_model(name, {{}, std::move(options)});
}

}  // namespace

TEST_CASE("pyramid sides follow ceil(base / 2^(i/4)) from i = -1", "[trainable]") {
  // The reference's example: base 227, n_bands 2 -> 270, 227, 191.
  CHECK(pyramid_sides(227, 3) == std::vector<int64_t>{270, 227, 191});
  CHECK(pyramid_sides(28, 3) == std::vector<int64_t>{34, 28, 24});
  CHECK(pyramid_sides(28, 1) == std::vector<int64_t>{28});
  auto images = torch::rand({2, 1, 28, 28});
  auto levels = image_pyramid(images, 3);
  REQUIRE(levels.size() == 3);
  CHECK(levels[0].sizes() == torch::IntArrayRef({2, 1, 34, 34}));
  CHECK(levels[1].data_ptr() == images.data_ptr());  // level 0 is the input itself
  CHECK(levels[2].sizes() == torch::IntArrayRef({2, 1, 24, 24}));
}

TEST_CASE("C stage: spatial max, then max over adjacent scales at the larger size", "[trainable]") {
  ScalePool pool(ScalePoolOptions(1, 2, 2));
  // Two scales of equal size so the scale max is visible cell by cell.
  auto a = torch::tensor(
               {1.f, 5.f, 2.f, 0.f, 3.f, 1.f, 7.f, 2.f, 0.f, 0.f, 9.f, 1.f, 4.f, 4.f, 4.f, 8.f})
               .view({1, 1, 4, 4});
  auto b = torch::full({1, 1, 4, 4}, 6.f);
  auto out = pool->forward({a, b});
  REQUIRE(out.size() == 1);
  // Window 2, stride 2, padding 1: output 3 x 3; row 0 sees only row 0 of the input.
  auto pooled_a = torch::nn::functional::max_pool2d(
      a, torch::nn::functional::MaxPool2dFuncOptions(2).stride(2).padding(1));
  CHECK(torch::equal(out[0], torch::maximum(pooled_a, torch::full_like(pooled_a, 6.f))));
  CHECK(out[0][0][0][1][1].item<float>() == 9.f);  // rows 1-2, columns 1-2: {1, 7, 0, 9}
  CHECK(out[0][0][0][0][0].item<float>() == 6.f);
  // Three scales give two bands, each at the size of its larger member.
  auto three = pool->forward(
      {torch::rand({1, 1, 10, 10}), torch::rand({1, 1, 8, 8}), torch::rand({1, 1, 6, 6})});
  REQUIRE(three.size() == 2);
  CHECK(three[0].size(2) == 6);
  CHECK(three[1].size(2) == 5);
}

TEST_CASE("soft scale pooling is a convex combination of the two scales", "[trainable]") {
  ScalePool pool(ScalePoolOptions(3, 1, 1).kind(ScalePoolKind::soft));
  auto a = torch::rand({2, 3, 5, 5});
  auto b = torch::rand({2, 3, 5, 5}) + 2.0;
  auto out = pool->forward({a, b})[0];
  CHECK((out >= torch::minimum(a, b) - 1e-6).all().item<bool>());
  CHECK((out <= torch::maximum(a, b) + 1e-6).all().item<bool>());
  // The scoring projection is frozen (a buffer), as in the reference.
  CHECK(pool->parameters().empty());
  CHECK(pool->named_buffers().contains("score_weight"));
}

TEST_CASE("trainable S1 starts as the classic Gabor bank with the classic normalisation",
          "[trainable]") {
  TrainableS1 s1(TrainableS1Options().sizes({7, 11}));
  auto params = s1->named_parameters();
  auto w7 = params["weight_7"];
  const auto bank = classic_gabor_scale(0);
  REQUIRE(w7.numel() == static_cast<int64_t>(bank.size()));
  for (std::size_t i = 0; i < bank.size(); ++i)
    CHECK(w7.view(-1)[i].item<float>() == Approx(bank[i]).margin(1e-7));
  // |w * x| / ||x||: a patch equal to the filter gives 1 at its centre (unit-norm filters).
  auto image = torch::zeros({1, 1, 21, 21});
  image.index_put_({0, 0, torch::indexing::Slice(7, 14), torch::indexing::Slice(7, 14)}, w7[2][0]);
  auto out = s1->forward(image);
  CHECK(out[0][0][2][10][10].item<float>() == Approx(1.0).epsilon(2e-3));
  CHECK_THROWS_AS(TrainableS1(TrainableS1Options().sizes({8})), ventral::Error);
}

TEST_CASE("RBF S2 responds 1 where the input equals a prototype and decays with distance",
          "[trainable]") {
  RbfS2 s2(RbfS2Options().channels(4).sizes({3}).per_size(2).sigma(0.2));
  auto proto = s2->named_parameters()["prototypes_3"];
  auto band = torch::zeros({1, 4, 9, 9});
  band.index_put_({0, torch::indexing::Slice(), torch::indexing::Slice(3, 6),
                   torch::indexing::Slice(3, 6)},
                  proto[0].detach());
  auto r = s2->forward(band)[0];
  CHECK(r[0][0][4][4].item<float>() == Approx(1.0).margin(1e-5));
  // Elsewhere the patch differs: exp(-mean squared difference / (2 sigma^2)).
  auto patch = band.index(
      {0, torch::indexing::Slice(), torch::indexing::Slice(0, 3), torch::indexing::Slice(0, 3)});
  const double d2 = (patch - proto[1].detach()).pow(2).mean().item<double>();
  CHECK(r[0][1][1][1].item<float>() == Approx(std::exp(-d2 / (2 * 0.04))).epsilon(1e-4));
}

TEST_CASE("hmax-wide: named layers, shapes, FLOPs and option errors", "[trainable]") {
  auto model = make("hmax-wide", {{"input_size", "28"}, {"in_chans", "1"}, {"num_classes", "10"}});
  auto x = torch::randn({2, 1, 28, 28});
  auto logits = model->forward(x);
  CHECK(logits.sizes() == torch::IntArrayRef({2, 10}));
  auto features = model->features(x, {"s1", "c1", "c2", "c3", "logits"});
  std::vector<std::string> names;
  for (const auto& [name, t] : features) names.push_back(name);
  CHECK(names ==
        std::vector<std::string>{"s1/0", "s1/1", "s1/2", "c1/0", "c1/1", "c2/0", "c3", "logits"});
  CHECK(features[0].second.sizes() == torch::IntArrayRef({2, 32, 34, 34}));  // small defaults: width 32
  CHECK(features[3].second.sizes() == torch::IntArrayRef({2, 32, 17, 17}));
  CHECK(torch::allclose(features.back().second, logits));
  // FLOPs by hand for a tiny configuration: one level, no stage 3.
  auto tiny = std::dynamic_pointer_cast<HmaxWideImpl>(make("hmax-wide", {{"input_size", "8"},
                                                                         {"in_chans", "1"},
                                                                         {"num_classes", "2"},
                                                                         {"scales", "1"},
                                                                         {"width", "2"},
                                                                         {"s1_kernel", "3"},
                                                                         {"s2_width", "4"},
                                                                         {"s2_kernel", "3"},
                                                                         {"stage3", "false"}}));
  // S1: 8x8 x 2 out x 1 in x 9 x 2; C1 -> 4x4 ((8 + 2 - 3) / 2 + 1); S2: 4x4 x 4 x 2 x 9 x 2; head 4x2x2.
  CHECK(tiny->forward_flops(8, 8) == 8 * 8 * 2 * 9 * 2 + 4 * 4 * 4 * 2 * 9 * 2 + 4 * 2 * 2);
  auto probe = tiny->features(torch::zeros({1, 1, 8, 8}), {"c1/0"});
  CHECK(probe[0].second.size(2) == 4);
  CHECK_THROWS_WITH(make("hmax-wide", {{"widht", "3"}}),
                    Catch::Contains("unknown model option 'widht'"));
  CHECK_THROWS_WITH(make("hmax-wide", {{"s1_kernel", "4"}}), Catch::Contains("odd"));
  CHECK_THROWS_WITH(make("hmax-wide", {{"batchnorm", "maybe"}}), Catch::Contains("true or false"));
  CHECK_THROWS_WITH(make("hmax-wide", {{"scale_pool", "mean"}}), Catch::Contains("max, soft"));
}

TEST_CASE("hmax-wide ingredients switch independently and every parameter gets a gradient",
          "[trainable]") {
  const std::vector<std::map<std::string, std::string>> variants = {{{"batchnorm", "false"}},
                                                                    {{"conv1x1", "true"}},
                                                                    {{"residual", "true"}},
                                                                    {{"stage3", "false"}},
                                                                    {{"dropout", "0.5"}},
                                                                    {{"scale_pool", "soft"}},
                                                                    {{"conv1x1", "true"},
                                                                     {"residual", "true"}}};
  int64_t baseline = 0;
  for (const auto& variant : variants) {
    auto options = variant;
    options.insert({{"input_size", "28"},
                    {"in_chans", "1"},
                    {"num_classes", "10"},
                    {"width", "8"},
                    {"s2_width", "16"},
                    {"s3_width", "16"}});
    auto model = make("hmax-wide", options);
    if (baseline == 0)
      baseline = parameter_count(*make("hmax-wide", {{"input_size", "28"},
                                                     {"in_chans", "1"},
                                                     {"num_classes", "10"},
                                                     {"width", "8"},
                                                     {"s2_width", "16"},
                                                     {"s3_width", "16"}}));
    model->train();
    auto loss = model->forward(torch::randn({4, 1, 28, 28})).logsumexp(1).mean();
    loss.backward();
    for (const auto& p : model->named_parameters()) {
      INFO(p.key());
      REQUIRE(p.value().grad().defined());
      CHECK(p.value().grad().abs().sum().item<double>() > 0);
    }
    if (variant.count("batchnorm")) CHECK(parameter_count(*model) < baseline);
    if (variant.count("stage3")) CHECK(parameter_count(*model) < baseline);
    if (variant.count("residual") && !variant.count("conv1x1"))
      CHECK(parameter_count(*model) > baseline);
  }
}

TEST_CASE("hmax-bp: layers, classic pooling bands, C2 is the max over bands and positions",
          "[trainable]") {
  auto model = make("hmax-bp", {{"input_size", "32"}, {"num_classes", "5"}, {"prototypes", "6"}});
  auto x = torch::rand({2, 1, 32, 32});
  auto features = model->features(x, {"s1/0", "c1", "s2", "c2", "logits"});
  std::map<std::string, torch::Tensor> f(features.begin(), features.end());
  CHECK(f["s1/0"].sizes() == torch::IntArrayRef({2, 4, 32, 32}));
  CHECK(f["c1/0"].size(2) == 17);  // pool 4, stride 2, padding 2
  CHECK(f["c1/1"].size(2) == 11);  // pool 6, stride 3, padding 3
  auto max_over = torch::maximum(f["s2/4/0"].amax({2, 3}), f["s2/4/1"].amax({2, 3}));
  CHECK(torch::allclose(f["c2"], max_over));
  CHECK(f["logits"].sizes() == torch::IntArrayRef({2, 5}));
  auto loss = model->forward(x).logsumexp(1).mean();
  loss.backward();
  for (const auto& p : model->named_parameters()) {
    INFO(p.key());
    CHECK(p.value().grad().defined());
  }
}

TEST_CASE("hmax-hgru: per-step layers, eval steps, C-RBP penalty, option errors", "[trainable]") {
  std::map<std::string, std::string> base = {{"input_size", "24"}, {"in_chans", "1"},
                                             {"num_classes", "3"}, {"width", "4"},
                                             {"s2_width", "8"},    {"s3_width", "8"},
                                             {"timesteps", "3"},   {"eval_timesteps", "5"}};
  auto model = make("hmax-hgru", base);
  CHECK(model->model_name() == "hmax-hgru");
  auto names = model->layer_names();
  CHECK(std::count(names.begin(), names.end(), "c1@t5/1") == 1);
  CHECK(std::count(names.begin(), names.end(), "c1@t6/0") == 0);
  auto x = torch::randn({2, 1, 24, 24});
  model->eval();
  {
    torch::NoGradGuard no_grad;
    // The last step's state is what S2 sees: its output equals the plain forward.
    auto f = model->features(x, {"c1@t5", "logits"});
    REQUIRE(f.size() == 3);
    CHECK(f[0].first == "c1@t5/0");
    CHECK(torch::allclose(f[2].second, model->forward(x), 1e-5, 1e-6));
    // Different steps give different states (the circuit does something).
    auto early = model->features(x, {"c1@t1/0"})[0].second;
    CHECK((early - f[0].second).abs().max().item<double>() > 1e-4);
  }
  // A C-RBP training pass returns the weighted Lipschitz penalty as a loss term per band.
  auto crbp_options = base;
  crbp_options["recurrent_grad"] = "crbp";
  auto crbp = make("hmax-hgru", crbp_options);
  crbp->train();
  auto out = crbp->forward_train(x);
  REQUIRE(!out.loss_terms.empty());
  CHECK(out.loss_terms.front().first.rfind("lipschitz/c1/", 0) == 0);
  const auto penalty = out.loss_terms_sum();
  CHECK(penalty.item<double>() >= 0.0);
  (out.logits.logsumexp(1).mean() + penalty).backward();
  CHECK(crbp->named_parameters()["h1.w_inh"].grad().defined());
  // The penalty's weight is a model option: weight 0 gives a zero term, weight 20 twice weight 10.
  auto weighted = [&](const std::string& weight) {
    auto options = crbp_options;
    options["lipschitz_weight"] = weight;
    torch::manual_seed(3);
    auto m = make("hmax-hgru", options);
    m->train();
    torch::manual_seed(4);
    return m->forward_train(x).loss_terms_sum().item<double>();
  };
  const double ten = weighted("10"), twenty = weighted("20");
  CHECK(weighted("0") == 0.0);
  CHECK(twenty == Approx(2 * ten).epsilon(1e-6));
  // BPTT and evaluation add no loss term; feed-forward hmax-wide rejects the recurrence options.
  auto bptt = make("hmax-hgru", base);
  bptt->train();
  CHECK(bptt->forward_train(x).loss_terms.empty());
  crbp->eval();
  CHECK(crbp->forward_train(x).loss_terms.empty());
  CHECK_THROWS_WITH(make("hmax-hgru", {{"lipschitz_weight", "1"}}),
                    Catch::Contains("unknown model option 'lipschitz_weight'"));
  CHECK_THROWS_WITH(make("hmax-wide", {{"timesteps", "3"}}),
                    Catch::Contains("unknown model option 'timesteps'"));
  CHECK_THROWS_WITH(make("hmax-hgru", {{"timesteps", "0"}}), Catch::Contains("timesteps=0"));
  CHECK_THROWS_WITH(make("hmax-hgru", {{"hgru_kernel", "4"}}), Catch::Contains("odd"));
  CHECK_THROWS_WITH(make("hmax-hgru", {{"recurrent_grad", "rtrl"}}), Catch::Contains("bptt, crbp"));
}

TEST_CASE("hmax-gamma: coupled C1/S2 circuits with top-down feedback", "[trainable]") {
  std::map<std::string, std::string> base = {{"input_size", "24"}, {"in_chans", "1"},
                                             {"num_classes", "3"}, {"width", "4"},
                                             {"s2_width", "6"},    {"s3_width", "8"},
                                             {"timesteps", "3"}};
  auto model = make("hmax-gamma", base);
  CHECK(model->model_name() == "hmax-gamma");
  auto x = torch::randn({2, 1, 24, 24});
  model->train();
  model->forward(x).logsumexp(1).mean().backward();
  // Feedback is part of the graph: the top-down cell and both horizontal circuits learn.
  int with_grad = 0;
  for (const auto& p : model->named_parameters()) {
    if (p.key().rfind("top_down.", 0) == 0 && p.value().grad().defined() &&
        p.value().grad().abs().sum().item<double>() > 0) {
      ++with_grad;
    }
  }
  CHECK(with_grad > 0);
  model->eval();
  torch::NoGradGuard no_grad;
  auto f = model->features(x, {"c1@t1/0", "c1@t3/0", "s2@t3/0", "s2/0"});
  REQUIRE(f.size() == 4);
  CHECK(torch::equal(f[2].second, f[3].second));  // the S2 layer is the last step's S2 state
  CHECK((f[0].second - f[1].second).abs().max().item<double>() > 1e-5);
  CHECK_THROWS_WITH(make("hmax-gamma", {{"recurrent_grad", "crbp"}}),
                    Catch::Contains("recurrent_grad=crbp"));
  CHECK_THROWS_WITH(make("hmax-gamma", {{"fgru_kernel", "2"}}), Catch::Contains("odd"));
  CHECK_THROWS_WITH(make("hmax-gamma", {{"hgru_kernel", "3"}}), Catch::Contains("unknown model option"));
}
