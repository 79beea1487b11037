// Pillow-exact bilinear resizing: hand-computed fixed-point values, windows and partial
// sources, and Pillow itself on the reference photographs.
#include <catch2/catch.hpp>

#include <random>

#include "tests/data/data_fixtures.h"
#include "training/data/pil_resize.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::max_abs_diff;
using ventral::testing::TempFolder;

namespace {

Image row(std::vector<std::uint8_t> values) {
  return Image{1, static_cast<int>(values.size()), 1, std::move(values)};
}

Image random_image(int height, int width, int channels, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  Image image{height, width, channels, {}};
  for (int i = 0; i < height * width * channels; ++i)
    image.pixels.push_back(static_cast<std::uint8_t>(rng() % 256));
  return image;
}

}  // namespace

TEST_CASE("pil_resize: 2x downscale by hand (support widened to 2 pixels)", "[data]") {
  // Output 0: centre 1.0, inputs 0..2 with triangle weights 0.75, 0.75, 0.25 -> 3/7, 3/7, 1/7:
  // (0 * 3 + 100 * 3 + 200) / 7 = 71.4 -> 71. Output 1: centre 3.0, inputs 1..3, weights
  // 1/7, 3/7, 3/7: (100 + 600 + 150) / 7 = 121.4 -> 121.
  auto out = pil_resize(row({0, 100, 200, 50}), 2, 1);
  CHECK(out.pixels == std::vector<std::uint8_t>{71, 121});
}

TEST_CASE("pil_resize: 2x upscale by hand (edge taps clipped)", "[data]") {
  // Centres 0.25, 0.75, 1.25, 1.75: the outer outputs see one input; the inner ones
  // weight 0.75/0.25: 200 * 0.25 = 50 and 200 * 0.75 = 150.
  auto out = pil_resize(row({0, 200}), 4, 1);
  CHECK(out.pixels == std::vector<std::uint8_t>{0, 50, 150, 200});
}

TEST_CASE("pil_resize: same size is an exact copy, both passes skipped", "[data]") {
  auto image = random_image(7, 9, 3, 1);
  CHECK(max_abs_diff(pil_resize(image, 9, 7), image) == 0);
  // Only one axis changes: the other pass is skipped, as in Pillow.
  auto wide = pil_resize(image, 18, 7);
  CHECK((wide.width == 18 && wide.height == 7));
}

TEST_CASE("resize_bilinear: a window equals the crop of the whole resize, zero outside", "[data]") {
  auto image = random_image(37, 51, 3, 2);
  auto full = pil_resize(image, 29, 22);
  ResizeRequest request = whole_image_resize(51, 37, 29, 22);
  request.window = {-3, 5, 30, 10};  // three columns of padding on the left
  auto window = resize_bilinear(image, request);
  REQUIRE((window.width == 30 && window.height == 10));
  for (int y = 0; y < 10; ++y) {
    for (int x = 0; x < 30; ++x) {
      for (int c = 0; c < 3; ++c) {
        int fx = x - 3, fy = y + 5;
        int expected = fx < 0 || fx >= 29 ? 0 : full.pixels[(fy * 29 + fx) * 3 + c];
        REQUIRE(int(window.pixels[(y * 30 + x) * 3 + c]) == expected);
      }
    }
  }
}

TEST_CASE("resize_bilinear: a view is Pillow's crop-then-resize; a partial source gives the same",
          "[data]") {
  auto image = random_image(40, 60, 3, 3);
  // Crop by copying, then resize the copy.
  Image crop{20, 25, 3, {}};
  for (int y = 0; y < 20; ++y) {
    for (int x = 0; x < 25; ++x) {
      for (int c = 0; c < 3; ++c) crop.pixels.push_back(image.pixels[((y + 10) * 60 + x + 7) * 3 + c]);
    }
  }
  auto expected = pil_resize(crop, 16, 16);
  ResizeRequest request = whole_image_resize(25, 20, 16, 16);
  request.view = {7, 10, 25, 20};
  CHECK(max_abs_diff(resize_bilinear(image, request), expected) == 0);
  // Only the input region, placed at its origin.
  PixelRect region = resize_input_region(request);
  CHECK((region.x == 7 && region.y == 10 && region.width == 25 && region.height == 20));
  Image part{region.height, region.width, 3, {}};
  for (int y = 0; y < region.height; ++y) {
    for (int x = 0; x < region.width; ++x) {
      for (int c = 0; c < 3; ++c)
        part.pixels.push_back(image.pixels[((y + region.y) * 60 + x + region.x) * 3 + c]);
    }
  }
  CHECK(max_abs_diff(resize_bilinear(part, request, region.x, region.y), expected) == 0);
  CHECK_THROWS_WITH(resize_bilinear(part, request, region.x + 1, region.y), Catch::Contains("outside"));
}

TEST_CASE("pil_resize equals Pillow's Image.resize(BILINEAR) on photographs", "[data][pil]") {
  TempFolder dir("pil_resize");
  write_png(dir / "colour.png", ventral::testing::colour_photo());
  struct Case {
    std::string file;
    int width, height;
  };
  auto reference = [](const std::string& name) {
    return ventral::testing::data_path("hmax_reference/images/" + name);
  };
  std::vector<Case> cases = {
      {dir / "colour.png", 224, 149},            // 451 x 300 RGB -> 2x down
      {dir / "colour.png", 97, 61},              // odd factors
      {dir / "colour.png", 384, 256},            // timm's eval resize of a 451 x 300 image
      {dir / "colour.png", 700, 500},            // up
      {reference("coffee.png"), 341, 256},       // gray 600 x 400
      {reference("camera_256.png"), 100, 300},   // down in x, up in y
      {reference("astronaut_256.png"), 31, 29},  // 8x down
  };
  std::ofstream jobs(dir / "jobs.txt");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    Image source = read_image(cases[k].file);
    jobs << "resize " << cases[k].file << " " << dir / (std::to_string(k) + ".png") << " "
         << (source.channels == 1 ? "L" : "RGB") << " " << cases[k].width << " " << cases[k].height
         << "\n";
  }
  jobs.close();
  ventral::testing::run_pil_reference(dir / "jobs.txt");
  for (std::size_t k = 0; k < cases.size(); ++k) {
    Image source = read_image(cases[k].file);
    auto ours = pil_resize(source, cases[k].width, cases[k].height);
    auto pillow = read_image(dir / (std::to_string(k) + ".png"));
    INFO(cases[k].file << " -> " << cases[k].width << "x" << cases[k].height);
    CHECK(max_abs_diff(ours, pillow) == 0);
  }
}
