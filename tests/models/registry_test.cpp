// Every registered model, walked through the whole surface (timm's tests/test_models.py):
// a model is covered the day it is registered. Defaults build and report their resolved
// options; a small configuration runs forward, every named layer, a backward pass, and a
// checkpoint round trip.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <set>

#include "models/registry.h"
#include "tests/test_paths.h"
#include "training/checkpoint.h"

using namespace ventral;

namespace {

// Options that make a model small enough for a unit test: the trainer's small-image preset.
std::map<std::string, std::string> small_options(const std::string& name) {
  if (name == "hmax-classic") return {};
  std::map<std::string, std::string> o = {{"input_size", "40"}, {"num_classes", "3"}};
  if (name.rfind("pathfinder", 0) == 0) {
    o["channels"] = "4";
    o["num_classes"] = "2";
  }
  if (name == "hmax-bp") o["prototypes"] = "4";
  if (name == "hmax-wide" || name == "hmax-hgru" || name == "hmax-gamma") {
    o["width"] = "4";
    o["s2_width"] = "4";
    o["s3_width"] = "4";
  }
  return o;
}

hmax::PrototypeSet tiny_prototypes() {
  torch::manual_seed(0);
  return {{2}, {torch::rand({3, 4, 2, 2})}};
}

}  // namespace

TEST_CASE("every registered model builds with its defaults and reports them", "[models]") {
  for (const auto& name : models::model_names()) {
    INFO("model " << name);
    auto model = models::create_model(name, {tiny_prototypes(), {}});
    CHECK(model->model_name() == name);
    CHECK_FALSE(model->layer_names().empty());
    if (name != "hmax-classic") CHECK(models::parameter_count(*model) > 0);
    // Resolved options read back give the same model (the registry's promise to run folders).
    const auto resolved = model->resolved_options();
    CHECK_FALSE(resolved.empty());
    auto again = models::create_model(name, {tiny_prototypes(), resolved});
    CHECK(again->resolved_options() == resolved);
    CHECK_THROWS_WITH(models::create_model(name, {{}, {{"no_such_option", "1"}}}),
                      Catch::Contains("unknown model option 'no_such_option'"));
  }
}

TEST_CASE("every registered model runs forward, every layer, backward and a checkpoint", "[models]") {
  for (const auto& name : models::model_names()) {
    INFO("model " << name);
    torch::manual_seed(1);
    auto model = models::create_model(name, {tiny_prototypes(), small_options(name)});
    const int channels = model->input_channels();
    auto x = torch::rand({2, channels, 40, 40}) * (name == "hmax-classic" ? 255.0 : 1.0);
    model->eval();
    torch::Tensor out;
    {
      torch::NoGradGuard no_grad;
      out = model->forward(x);
    }
    REQUIRE(out.size(0) == 2);
    CHECK(torch::isfinite(out).all().item<bool>());

    // Every leaf layer, in one pass, batch first and finite.
    std::vector<std::string> leaves;
    const auto all = model->layer_names();
    const std::set<std::string> names(all.begin(), all.end());
    for (const auto& layer : all) {
      bool group = false;
      for (const auto& other : all) group = group || other.rfind(layer + "/", 0) == 0;
      if (!group) leaves.push_back(layer);
    }
    auto features = model->features(x, leaves);
    REQUIRE(features.size() == leaves.size());
    for (std::size_t i = 0; i < leaves.size(); ++i) {
      INFO("layer " << leaves[i]);
      CHECK(features[i].first == leaves[i]);
      CHECK(features[i].second.size(0) == 2);
      CHECK(torch::isfinite(features[i].second).all().item<bool>());
    }
    if (names.count("logits")) {
      auto logits = model->features(x, {"logits"}).front().second;
      CHECK(torch::allclose(logits, out, 1e-5, 1e-6));
    }
    CHECK_THROWS_WITH(model->features(x, {"no_such_layer"}), Catch::Contains("no_such_layer"));
    CHECK_THROWS_WITH(model->forward(torch::rand({2, channels + 1, 40, 40})),
                      Catch::Contains("expected images"));
    if (models::parameter_count(*model) == 0) continue;

    // Training: a backward pass reaches parameters, with finite gradients.
    model->train();
    auto step = model->forward_train(x);
    auto loss = step.logits.logsumexp(1).mean();
    if (auto terms = step.loss_terms_sum(); terms.defined()) loss = loss + terms;
    loss.backward();
    int64_t with_grad = 0;
    for (const auto& p : model->parameters()) {
      if (!p.grad().defined()) continue;
      ++with_grad;
      CHECK(torch::isfinite(p.grad()).all().item<bool>());
    }
    CHECK(with_grad > 0);

    // Checkpoint round trip: a fresh model of the same options loads the state and agrees.
    model->eval();
    training::Checkpoint c;
    c.arch = name;
    c.model_options = model->resolved_options();
    c.state_dict = training::module_state_dict(*model);
    const auto path = testing::temp_path("registry_" + name + ".pt");
    training::save_checkpoint(path, c);
    auto loaded = training::load_checkpoint(path);
    CHECK(loaded.arch == name);
    CHECK(loaded.model_options == c.model_options);
    torch::manual_seed(2);
    auto copy = models::create_model(name, {tiny_prototypes(), loaded.model_options});
    training::load_module_state_dict(*copy, loaded.state_dict, path);
    copy->eval();
    torch::NoGradGuard no_grad;
    CHECK(torch::allclose(copy->forward(x), model->forward(x), 1e-5, 1e-6));
    std::filesystem::remove(path);
  }
}
