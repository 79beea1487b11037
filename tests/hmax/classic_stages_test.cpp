#include <catch2/catch.hpp>

#include <torch/torch.h>
#include "tests/test_paths.h"

#include <cmath>

#include "common/image_io.h"
#include "hmax/hmax_classic.h"
#include "hmax/imprint.h"
#include "tests/oracles/hmax_classic_reference.h"
#include "training/image_files.h"

using namespace ventral::hmax;

namespace {

torch::Tensor reference_image(const std::string& name) {
  return ventral::training::load_image_tensor(ventral::testing::data_path("hmax_reference/images/" +
                                                                          name),
                                              1)
      .unsqueeze(0);
}

// A sinusoidal grating varying along the direction (cos t, sin t) in (row, column)
// coordinates, t = orientation_deg + 90 as in the maxlab filters: orientation 90 gives
// horizontal stripes (luminance changing down the rows), 0 vertical stripes.
torch::Tensor grating(int size, double period, double orientation_deg) {
  auto img = torch::empty({1, 1, size, size});
  const double t = (orientation_deg + 90.0) * M_PI / 180.0;
  for (int r = 0; r < size; ++r) {
    for (int c = 0; c < size; ++c) {
      double coord = r * std::cos(t) + c * std::sin(t);
      img[0][0][r][c] = 127.5 + 127.5 * std::cos(2 * M_PI * coord / period);
    }
  }
  return img;
}

}  // namespace

TEST_CASE("C1 band sizes for a 256 x 256 image", "[hmax]") {
  HmaxClassic model;
  auto bands = model->c1(torch::rand({1, 1, 256, 256}) * 255);
  std::vector<int64_t> expected = {65, 52, 43, 37, 33, 29, 26, 24};
  for (int k = 0; k < 8; ++k) {
    CHECK(bands[k].size(2) == expected[k]);
    CHECK(bands[k].size(3) == expected[k]);
    CHECK(c1_extent(256, k) == expected[k]);
    // The vacated last row and column are zero.
    CHECK(bands[k].select(2, expected[k] - 1).abs().max().item<float>() == 0.0f);
    CHECK(bands[k].select(3, expected[k] - 1).abs().max().item<float>() == 0.0f);
  }
}

TEST_CASE("S1 on a grating peaks at the matching orientation", "[hmax]") {
  HmaxClassic model;
  // Channel order is 90, -45, 0, 45 degrees; each grating should win its own channel.
  const std::vector<double> stripes = {90.0, -45.0, 0.0, 45.0};
  // Horizontal stripes (constant along each row) drive channel 0, the 90 degree filter.
  auto horizontal = torch::arange(96)
                        .to(torch::kFloat32)
                        .mul(2 * M_PI / 5.641)
                        .cos()
                        .mul(127.5)
                        .add(127.5)
                        .view({1, 1, 96, 1})
                        .expand({1, 1, 96, 96})
                        .contiguous();
  CHECK(model->features(horizontal, {"s1/2"})[0]
            .second[0]
            .narrow(1, 30, 36)
            .narrow(2, 30, 36)
            .mean({1, 2})
            .argmax()
            .item<int64_t>() == 0);
  for (int channel = 0; channel < 4; ++channel) {
    auto out = model->features(grating(96, 5.641, stripes[channel]), {"s1/2"});
    auto s1 = out[0].second[0];  // (4, H, W)
    auto centre = s1.narrow(1, 30, 36).narrow(2, 30, 36).mean({1, 2});
    INFO("grating " << stripes[channel] << " deg, responses " << centre);
    CHECK(centre.argmax().item<int64_t>() == channel);
    CHECK(centre[channel].item<float>() > 2.0f * std::get<0>(centre.topk(2))[1].item<float>());
  }
}

TEST_CASE("the fast S1/C1 path equals direct convolutions on real images", "[hmax]") {
  HmaxClassic model;
  for (const std::string name : {"camera_256.png", "rocket.png"}) {
    auto image = reference_image(name);
    auto fast = model->features(image, {"s1", "c1"});
    auto slow = ventral::oracles::reference_hmax(image, {}, /*keep_s1=*/true);
    for (int s = 0; s < 16; ++s) {
      double diff = (fast[s].second - slow.s1[s]).abs().max().item<double>();
      INFO(name << " s1/" << s << " max diff " << diff);
      CHECK(diff < 2e-5);
    }
    for (int k = 0; k < 8; ++k) {
      double diff = (fast[16 + k].second - slow.c1[k]).abs().max().item<double>();
      double scale = slow.c1[k].abs().max().item<double>();
      INFO(name << " c1/" << k << " max diff " << diff);
      CHECK(diff <= 1e-5 * scale);
    }
  }
}

TEST_CASE("RGB input is converted with PIL's integer luma", "[hmax]") {
  // Pixel 0 is (255, 0, 0), pixel 1 is (10, 200, 30).
  auto rgb = torch::tensor({255.f, 10.f, 0.f, 200.f, 0.f, 30.f}).view({1, 3, 1, 2});
  auto gray = classic_luma(rgb);
  CHECK(gray[0][0][0][0].item<float>() == 76.0f);   // (19595 * 255 + 32768) >> 16
  CHECK(gray[0][0][0][1].item<float>() == 124.0f);  // (195950 + 7694000 + 224130 + 32768) >> 16
}

TEST_CASE("S2 is exactly zero where a prototype was imprinted, and C2 finds it", "[hmax]") {
  HmaxClassic plain;
  auto image = reference_image("camera_256.png");
  auto bands = plain->c1(image);
  std::vector<std::vector<torch::Tensor>> per_image(1);
  for (auto& b : bands) per_image[0].push_back(b[0]);
  ImprintOptions options;
  options.sizes = {4, 8, 12, 16};
  options.per_size = 6;
  options.seed = 11;
  auto imprinted = imprint_prototypes(per_image, options);
  HmaxClassic model(HmaxClassicOptions{}, imprinted.prototypes);
  for (std::size_t i = 0; i < options.sizes.size(); ++i) {
    const int m = options.sizes[i];
    for (int p = 0; p < options.per_size; ++p) {
      auto where = imprinted.provenance[i][p];
      const int64_t band = where[1].item<int64_t>(), row = where[2].item<int64_t>(),
                    col = where[3].item<int64_t>();
      auto s2 = model->features(image, {"s2/" + std::to_string(m) + "/" + std::to_string(band)})[0]
                    .second;
      // The window rows y+1-m/2 .. y+m/2 start at `row` for y = row + m/2 - 1.
      CHECK(s2[0][p][row + m / 2 - 1][col + m / 2 - 1].item<float>() == 0.0f);
    }
  }
  auto c2 = model->forward(image);
  REQUIRE(c2.sizes() == torch::IntArrayRef({1, 24}));
  CHECK(c2.abs().max().item<float>() == 0.0f);
}

TEST_CASE("C2 keeps prototype order: sizes ascending, then file order", "[hmax]") {
  auto image = reference_image("brick_224.png");
  HmaxClassic plain;
  auto bands = plain->c1(image);
  PrototypeSet set;
  // Size 8 prototypes: a copy of a C1 window (distance 0) then zeros (distance > 0).
  auto exact = bands[0][0].narrow(1, 10, 8).narrow(2, 12, 8).unsqueeze(0);
  set.sizes = {4, 8};
  set.patches = {torch::full({1, 4, 4, 4}, 5.0f), torch::cat({exact, torch::zeros({1, 4, 8, 8})})};
  HmaxClassic model(HmaxClassicOptions{}, set);
  auto c2 = model->forward(image)[0];
  REQUIRE(c2.size(0) == 3);
  CHECK(c2[0].item<float>() > 1.0f);   // the size-4 prototype far from any C1 patch
  CHECK(c2[1].item<float>() == 0.0f);  // the imprinted window
  CHECK(c2[2].item<float>() > 0.0f);
  // The gaussian form takes the max: exp(0) = 1 for the exact match.
  HmaxClassic gaussian(HmaxClassicOptions{}.s2_activation(S2Activation::gaussian), set);
  CHECK(gaussian->forward(image)[0][1].item<float>() == 1.0f);
}

TEST_CASE("imprinting is deterministic for a seed", "[hmax]") {
  std::vector<std::vector<torch::Tensor>> per_image(2);
  torch::manual_seed(0);
  for (auto& image : per_image) {
    for (int k = 0; k < 8; ++k) image.push_back(torch::rand({4, 40 - 3 * k, 40 - 3 * k}));
  }
  ImprintOptions options;
  options.per_size = 5;
  options.seed = 42;
  auto a = imprint_prototypes(per_image, options), b = imprint_prototypes(per_image, options);
  options.seed = 43;
  auto c = imprint_prototypes(per_image, options);
  for (std::size_t i = 0; i < 4; ++i) {
    CHECK(torch::equal(a.prototypes.patches[i], b.prototypes.patches[i]));
    CHECK(torch::equal(a.provenance[i], b.provenance[i]));
  }
  CHECK_FALSE(torch::equal(a.provenance[0], c.provenance[0]));
  // Every window lies inside its band.
  for (std::size_t i = 0; i < 4; ++i) {
    const int m = options.sizes[i];
    for (int p = 0; p < 5; ++p) {
      auto w = a.provenance[i][p];
      const auto& band = per_image[w[0].item<int64_t>()][w[1].item<int64_t>()];
      CHECK(w[2].item<int64_t>() + m <= band.size(1));
      CHECK(w[3].item<int64_t>() + m <= band.size(2));
    }
  }
}

TEST_CASE("hmax-classic rejects images smaller than the largest filter", "[hmax]") {
  HmaxClassic model;
  CHECK_THROWS_WITH(model->features(torch::zeros({1, 1, 36, 100}), {"c1"}),
                    Catch::Contains("smaller than the largest S1 filter"));
  CHECK_THROWS_WITH(model->features(torch::zeros({1, 1, 64, 64}), {"c9"}),
                    Catch::Contains("unknown layer 'c9'"));
  CHECK_THROWS_WITH(model->features(torch::zeros({1, 1, 64, 64}), {"c2"}),
                    Catch::Contains("needs S2 prototypes"));
}
