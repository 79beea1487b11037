// The Pathfinder networks: parameter counts by hand, per-step layers, C-RBP's auxiliary loss,
// the shared read-out, option errors.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include "models/pathfinder_nets.h"
#include "models/registry.h"

using namespace ventral::hmax;
using namespace ventral::models;

namespace {

std::shared_ptr<VisionModelImpl> make(const std::string& name,
                                      std::map<std::string, std::string> options) {
  return create_model(name, {{}, std::move(options)});
}

int64_t trainable_count(const torch::nn::Module& model) {
  int64_t n = 0;
  for (const auto& p : model.parameters()) n += p.numel();
  return n;
}

}  // namespace

TEST_CASE("pathfinder-hgru: parameters by hand, per-step layers, eval steps", "[pathfinder]") {
  auto model = make("pathfinder-hgru", {{"channels", "4"},
                                        {"kernel", "3"},
                                        {"stem_kernel", "3"},
                                        {"timesteps", "2"},
                                        {"eval_timesteps", "3"},
                                        {"norm", "none"}});
  // stem 1*4*3*3 + BN 2*4; hGRU W 4*4*3*3, U1 and U2 4*4, two gate biases 4, alpha mu gamma
  // kappa omega 4 each, eta 2; read-out BN 2*4, 1x1 conv 4*2 + 2, BN1d 2*2, linear 2*2 + 2.
  CHECK(trainable_count(*model) == 36 + 8 + (144 + 16 + 16 + 8 + 20 + 2) + 8 + 10 + 4 + 6);
  CHECK(model->layer_names() ==
        std::vector<std::string>{"stem", "h@t1", "h@t2", "h@t3", "readout", "pre_logits", "logits"});
  auto x = torch::rand({3, 1, 20, 20});
  model->eval();
  torch::NoGradGuard no_grad;
  auto f = model->features(x, {"stem", "h@t1", "h@t3", "readout", "logits"});
  REQUIRE(f.size() == 5);
  CHECK(f[0].second.sizes() == torch::IntArrayRef{3, 4, 10, 10});  // stride-2 stem
  CHECK(f[3].second.sizes() == torch::IntArrayRef{3, 2, 10, 10});
  CHECK(f[4].second.sizes() == torch::IntArrayRef{3, 2});
  CHECK(torch::allclose(f[4].second, model->forward(x), 1e-5, 1e-6));
  CHECK((f[1].second - f[2].second).abs().max().item<double>() > 1e-4);  // the circuit evolves
  // Evaluation unrolls eval_timesteps: the state after 3 steps feeds the read-out.
  auto pf = std::dynamic_pointer_cast<PathfinderNetImpl>(model);
  REQUIRE(pf);
  CHECK(pf->steps() == 3);
  pf->train();
  CHECK(pf->steps() == 2);
}

TEST_CASE("pathfinder-cnn: parameters by hand and one layer per conv", "[pathfinder]") {
  auto model = make("pathfinder-cnn",
                    {{"channels", "4"}, {"kernel", "3"}, {"stem_kernel", "3"}, {"layers", "2"}});
  CHECK(trainable_count(*model) == 36 + 8 + 2 * (144 + 8) + 8 + 10 + 4 + 6);
  CHECK(model->layer_names() ==
        std::vector<std::string>{"stem", "conv1", "conv2", "readout", "pre_logits", "logits"});
  auto x = torch::rand({2, 1, 16, 16});
  model->eval();
  torch::NoGradGuard no_grad;
  auto f = model->features(x, {"conv2", "logits"});
  CHECK(f[0].second.sizes() == torch::IntArrayRef{2, 4, 8, 8});
  CHECK((f[0].second >= 0).all().item<bool>());  // after ReLU
}

TEST_CASE("pathfinder-hgru: C-RBP leaves the Lipschitz penalty, gradients reach W", "[pathfinder]") {
  auto model = make("pathfinder-hgru", {{"channels", "4"},
                                        {"kernel", "3"},
                                        {"timesteps", "4"},
                                        {"recurrent_grad", "crbp"}});
  model->train();
  auto x = torch::rand({2, 1, 16, 16});
  auto out = model->forward_train(x);
  REQUIRE(out.loss_terms.size() == 1);
  CHECK(out.loss_terms[0].first == "lipschitz");
  CHECK(out.loss_terms[0].second.item<double>() >= 0.0);
  (out.logits.logsumexp(1).mean() + out.loss_terms_sum()).backward();
  auto w = model->named_parameters()["cell.w_inh"];
  REQUIRE(w.grad().defined());
  CHECK(w.grad().abs().sum().item<double>() > 0);
  // The channel-symmetric gradient hook holds inside the network too.
  CHECK(torch::allclose(w.grad(), w.grad().transpose(0, 1)));
  CHECK(model->resolved_options().at("norm") == "none");  // C-RBP needs a time-invariant step
}

TEST_CASE("pathfinder networks: FFT and direct horizontal convolutions agree", "[pathfinder]") {
  std::map<std::string, std::string> options = {
      {"channels", "4"}, {"kernel", "13"}, {"timesteps", "3"}, {"norm", "none"}, {"conv", "direct"}};
  torch::manual_seed(5);
  auto direct = make("pathfinder-hgru", options);
  options["conv"] = "fft";
  auto fft = make("pathfinder-hgru", options);
  torch::NoGradGuard no_grad;
  auto params = fft->named_parameters();
  for (const auto& p : direct->named_parameters()) params[p.key()].copy_(p.value());
  direct->eval();
  fft->eval();
  auto x = torch::rand({2, 1, 24, 24});
  auto a = direct->features(x, {"h@t3"})[0].second, b = fft->features(x, {"h@t3"})[0].second;
  CHECK((a - b).abs().max().item<double>() < 1e-4 * a.abs().max().item<double>() + 1e-6);
}

TEST_CASE("pathfinder networks: option errors name the option", "[pathfinder]") {
  CHECK_THROWS_WITH(make("pathfinder-hgru", {{"cell", "lstm"}}),
                    Catch::Contains("convgru, convlstm, fgru, hgru"));
  CHECK_THROWS_WITH(make("pathfinder-hgru", {{"kernel", "8"}}), Catch::Contains("odd"));
  CHECK_THROWS_WITH(make("pathfinder-hgru", {{"timesteps", "0"}}), Catch::Contains("timesteps"));
  CHECK_THROWS_WITH(make("pathfinder-hgru", {{"layers", "3"}}),
                    Catch::Contains("unknown model option 'layers'"));
  CHECK_THROWS_WITH(make("pathfinder-cnn", {{"timesteps", "3"}}),
                    Catch::Contains("unknown model option 'timesteps'"));
  CHECK_THROWS_WITH(make("pathfinder-hgru", {{"conv", "winograd"}}),
                    Catch::Contains("auto, direct, fft"));
  // Every cell of the registry plugs in.
  for (const char* cell : {"convgru", "convlstm", "fgru"}) {
    auto model = make("pathfinder-hgru",
                      {{"cell", cell}, {"channels", "4"}, {"kernel", "3"}, {"timesteps", "2"}});
    model->eval();
    torch::NoGradGuard no_grad;
    CHECK(model->forward(torch::rand({1, 1, 16, 16})).sizes() == torch::IntArrayRef{1, 2});
  }
}
