// The harmonization loss against an independent PyTorch computation of the same formulas
// (harmonization_reference.py, float64): the value, its gradient with respect to the
// weights (through the double backward; a detached saliency would give zero), tokens 0
// contributing nothing, and the pyramid's TF SAME padding by hand; and a harmonized
// train_step against the full backward.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "alignment/harmonization_loss.h"
#include "alignment/harmonization_plugin.h"
#include "common/h5_file.h"
#include "models/registry.h"
#include "tests/test_paths.h"
#include "training/losses.h"
#include "training/train_step.h"

using namespace ventral;
using namespace ventral::alignment;

namespace {

void write(h5::File& file, const std::string& name, const torch::Tensor& t) {
  const auto c = t.contiguous();
  const h5::Shape shape(c.sizes().begin(), c.sizes().end());
  if (c.scalar_type() == torch::kInt64) {
    file.write_int64(name, shape, c.data_ptr<int64_t>());
  } else {
    file.write_double(name, shape, c.to(torch::kFloat64).contiguous().data_ptr<double>());
  }
}

torch::Tensor read(const h5::File& file, const std::string& name) {
  h5::Shape shape;
  auto values = file.read_double(name, &shape);
  std::vector<int64_t> sizes(shape.begin(), shape.end());
  return torch::tensor(values, torch::kFloat64).view(sizes);
}

}  // namespace

TEST_CASE("the pyramid pads like TF SAME: 1 before, 2 after on even sizes", "[alignment]") {
  const auto down = pyramid_down(torch::ones({1, 4, 4}, torch::kFloat64));
  REQUIRE(down.sizes() == torch::IntArrayRef({1, 2, 2}));
  // output 0 reads inputs -1..3 (taps 4,6,4,1 inside: 15/16), output 1 reads 1..5 (1,4,6: 11/16)
  CHECK(down[0][0][0].item<double>() == Approx(15.0 / 16 * 15.0 / 16).epsilon(1e-15));
  CHECK(down[0][0][1].item<double>() == Approx(15.0 / 16 * 11.0 / 16).epsilon(1e-15));
  CHECK(down[0][1][1].item<double>() == Approx(11.0 / 16 * 11.0 / 16).epsilon(1e-15));
  const auto cut = standardize_cut(torch::tensor({1.0, 2.0, 3.0, 4.0}, torch::kFloat64).view({1, 2, 2}));
  // mean 2.5, population std sqrt(1.25): values above the mean keep their z-score
  CHECK(cut[0][1][1].item<double>() == Approx(1.5 / (std::sqrt(1.25) + 1e-5)).epsilon(1e-12));
  CHECK(cut[0][0][0].item<double>() == 0);
}

TEST_CASE("harmonization loss and its weight gradient equal an independent PyTorch computation",
          "[alignment]") {
  torch::manual_seed(4);
  const int64_t n = 3, side = 32, classes = 4;
  const auto x = torch::randn({n, 3, side, side}, torch::kFloat64);
  const auto wc0 = 0.3 * torch::randn({2, 3, 3, 3}, torch::kFloat64);
  const auto wl0 = 0.05 * torch::randn({classes, 2 * side * side}, torch::kFloat64);
  const auto labels = torch::tensor({1, 3, 0}, torch::kInt64);
  const auto maps = torch::rand({n, side, side}, torch::kFloat64).pow(3) * 255;
  const auto tokens = torch::tensor({1, 0, 1}, torch::kInt64);

  const std::string in = testing::temp_path("harmonization_in.h5"),
                    out = testing::temp_path("harmonization_out.h5");
  {
    auto file = h5::File::create(in);
    write(file, "x", x);
    write(file, "wc", wc0);
    write(file, "wl", wl0);
    write(file, "labels", labels);
    write(file, "maps", maps);
    write(file, "tokens", tokens);
  }
  const std::string command = std::string(VENTRAL_PYTHON) + " " + VENTRAL_SOURCE_DIR +
                              "/tests/alignment/harmonization_reference.py " + in + " " + out;
  REQUIRE(std::system(command.c_str()) == 0);
  const auto reference = h5::File::open_read(out);

  auto loss_of = [&](const torch::Tensor& human_maps, torch::Tensor* grad_wc, torch::Tensor* grad_wl) {
    auto wc = wc0.clone().requires_grad_(true), wl = wl0.clone().requires_grad_(true);
    auto inputs = x.clone().requires_grad_(true);
    auto logits = torch::matmul(torch::tanh(torch::conv2d(inputs, wc, {}, 1, 1)).flatten(1), wl.t());
    auto loss = harmonization_loss(logits, inputs, labels, human_maps, tokens);
    auto grads = torch::autograd::grad({loss}, {wc, wl});
    if (grad_wc) *grad_wc = grads[0];
    if (grad_wl) *grad_wl = grads[1];
    return loss.item<double>();
  };
  torch::Tensor grad_wc, grad_wl;
  const double loss = loss_of(maps, &grad_wc, &grad_wl);
  CHECK(loss == Approx(read(reference, "loss").item<double>()).epsilon(1e-9));
  CHECK(loss > 0);
  CHECK(torch::allclose(grad_wc, read(reference, "grad_wc"), 1e-7, 1e-12));
  CHECK(torch::allclose(grad_wl, read(reference, "grad_wl"), 1e-7, 1e-12));
  // The term reaches the weights through the saliency (a .detach() there would zero grad_wc).
  CHECK(grad_wc.abs().max().item<double>() > 1e-8);
  // Image 1 has token 0: its human map changes nothing.
  auto other = maps.clone();
  other[1] = torch::rand({side, side}, torch::kFloat64);
  CHECK(loss_of(other, nullptr, nullptr) == loss);
  std::filesystem::remove(in);
  std::filesystem::remove(out);
}

TEST_CASE("a harmonized train_step moves the weights as the full backward would", "[alignment]") {
  // train_step asks for the parameters' gradients only (not the images', which the loss made
  // a leaf needing grad); the update must equal that of a plain loss.backward().
  const models::ModelConfig config{{},
                                   {{"num_classes", "3"},
                                    {"input_size", "32"},
                                    {"width", "8"},
                                    {"s2_width", "16"},
                                    {"s3_width", "32"}}};
  torch::manual_seed(3);
  auto images = torch::rand({6, 3, 32, 32});
  data::Batch batch{images.clone(),
                    torch::tensor({0, 1, 2, 0, 1, 2}),
                    {},
                    torch::rand({6, 32, 32}),
                    torch::tensor({1.f, 1.f, 0.f, 1.f, 0.f, 1.f})};
  auto plugin = std::make_shared<HarmonizationPlugin>(HarmonizationPluginOptions{2.0, 5});
  constexpr double lr = 0.5;

  torch::manual_seed(0);
  auto stepped = models::create_model("hmax-wide", config);
  stepped->train();
  torch::optim::SGD optimizer(stepped->parameters(), torch::optim::SGDOptions(lr));
  training::StepOptions options;
  options.plugins = {plugin};
  training::train_step(*stepped, optimizer, batch, options);

  torch::manual_seed(0);
  auto manual = models::create_model("hmax-wide", config);
  manual->train();
  data::Batch copy{
      images.clone().requires_grad_(true), batch.labels, {}, batch.human_maps, batch.tokens};
  auto output = manual->forward_train(copy.images);
  plugin->add_loss_terms(copy, output, output.loss_terms);
  auto loss = training::smoothed_cross_entropy(output.logits, copy.labels, 0.0) +
              output.loss_terms_sum();
  loss.backward();
  CHECK(copy.images.grad().defined());  // the full backward also fills the images' gradient
  torch::NoGradGuard no_grad;
  const auto a = stepped->named_parameters(), b = manual->named_parameters();
  REQUIRE(a.size() == b.size());
  for (std::size_t k = 0; k < a.size(); ++k) {
    auto expected = b[k].value() - lr * b[k].value().grad();
    INFO(a[k].key());
    CHECK(torch::allclose(a[k].value(), expected, 1e-5, 1e-6));
  }
  CHECK(!batch.images.grad().defined());  // train_step did not compute it
}
