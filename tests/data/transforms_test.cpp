// Transforms: hand-computed values for each step, and torchvision on PIL images for the
// whole train and eval pipelines on a photograph.
#include <catch2/catch.hpp>

#include <torch/torch.h>

#include "tests/data/data_fixtures.h"
#include "training/data/crop_geometry.h"
#include "training/data/transforms.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::max_abs_diff;
using ventral::testing::TempFolder;

namespace {

TransformOptions plain(int channels) {
  TransformOptions o;
  o.channels = channels;
  o.mean = {0.0f};
  o.std = {1.0f};
  return o;
}

std::vector<float> values(const torch::Tensor& t) {
  auto c = t.contiguous();
  return std::vector<float>(c.data_ptr<float>(), c.data_ptr<float>() + c.numel());
}

}  // namespace

TEST_CASE("normalise: (x / 255 - mean) / std per channel, CHW", "[data]") {
  Image image{1, 2, 3, {0, 128, 255, 255, 0, 51}};
  TransformOptions o;
  o.mean = {0.5f, 0.0f, 0.2f};
  o.std = {0.5f, 1.0f, 0.1f};
  std::mt19937_64 rng(0);
  auto t = apply_transform(image, o, rng);
  REQUIRE(t.sizes() == torch::IntArrayRef({3, 1, 2}));
  auto v = values(t);
  CHECK(v[0] == Approx(-1.0f));                 // R, pixel 0: (0 - 0.5) / 0.5
  CHECK(v[1] == Approx(1.0f));                  // R, pixel 1: (1 - 0.5) / 0.5
  CHECK(v[2] == Approx(128.0f / 255.0f));       // G, pixel 0
  CHECK(v[3] == Approx(0.0f));                  // G, pixel 1
  CHECK(v[4] == Approx((1.0f - 0.2f) / 0.1f));  // B, pixel 0
  CHECK(v[5] == Approx((0.2f - 0.2f) / 0.1f).margin(1e-6));
}

TEST_CASE("img_size 0 keeps the native size; flip reverses rows with probability hflip", "[data]") {
  Image image{2, 3, 1, {10, 20, 30, 40, 50, 60}};
  auto o = plain(1);
  o.train = true;
  o.hflip = 1.0;
  std::mt19937_64 rng(0);
  auto flipped = transform_image(image, o, rng);
  CHECK(flipped.pixels == std::vector<std::uint8_t>{30, 20, 10, 60, 50, 40});
  o.hflip = 0.0;
  CHECK(transform_image(image, o, rng).pixels == image.pixels);
  o.train = false;  // eval never flips
  o.hflip = 1.0;
  CHECK(transform_image(image, o, rng).pixels == image.pixels);
}

TEST_CASE("eval: shorter side to floor(img_size / crop_pct), centre crop rounds half to even",
          "[data]") {
  // 4 x 6 gray, pixel = 40 * column. Resize to 2 x 3 (scale 2, support 2 pixels):
  //   column 0, centre 1: inputs 0..2, weights .75 .75 .25 -> (0 + 30 + 20) / 1.75 = 28.6 -> 29
  //   column 1, centre 3: inputs 1..4, weights .25 .75 .75 .25 -> (10 + 60 + 90 + 40) / 2 = 100
  //   column 2, centre 5: inputs 3..5, weights .25 .75 .75 -> (30 + 120 + 150) / 1.75 = 171.4 -> 171
  // (rows are constant, so the vertical pass keeps them). CenterCrop(2) of width 3:
  // left = round(0.5) = 0 in Python, so [29, 100], not [100, 171].
  Image image{4, 6, 1, {}};
  for (int y = 0; y < 4; ++y) {
    for (int x = 0; x < 6; ++x) image.pixels.push_back(static_cast<std::uint8_t>(40 * x));
  }
  auto o = plain(1);
  o.img_size = 2;
  o.crop_pct = 1.0;
  std::mt19937_64 rng(0);
  auto out = transform_image(image, o, rng);
  CHECK(out.pixels == std::vector<std::uint8_t>{29, 100, 29, 100});
}

TEST_CASE("channels: PIL luma for 1, replication for 3", "[data]") {
  Image rgb{1, 2, 3, {255, 0, 0, 10, 200, 30}};
  std::mt19937_64 rng(0);
  // (19595 * 255 + 32768) >> 16 = 76; (19595*10 + 38470*200 + 7471*30 + 32768) >> 16 = 124.
  CHECK(transform_image(rgb, plain(1), rng).pixels == std::vector<std::uint8_t>{76, 124});
  Image gray{1, 2, 1, {7, 9}};
  CHECK(transform_image(gray, plain(3), rng).pixels == std::vector<std::uint8_t>{7, 7, 7, 9, 9, 9});
}

TEST_CASE("train: random-resized-crop of the whole square is a plain resize", "[data]") {
  auto image = ventral::testing::photo("chelsea_sq300.png");
  auto o = plain(1);
  o.train = true;
  o.img_size = 64;
  o.scale_min = o.scale_max = 1.0;
  o.ratio_min = o.ratio_max = 1.0;
  o.hflip = 0.0;
  std::mt19937_64 rng(5);
  CHECK(max_abs_diff(transform_image(image, o, rng), pil_resize(image, 64, 64)) == 0);
}

TEST_CASE("plan_transform: same generator state, same plan; draws only in train", "[data]") {
  TransformOptions o;
  o.img_size = 224;
  o.train = true;
  std::mt19937_64 a(11), b(11);
  for (int k = 0; k < 50; ++k) {
    auto pa = plan_transform(375, 500, o, a), pb = plan_transform(375, 500, o, b);
    REQUIRE((pa.resize.view.x == pb.resize.view.x && pa.resize.view.width == pb.resize.view.width &&
             pa.flip == pb.flip));
  }
  o.train = false;
  std::mt19937_64 c(3), d(3);
  plan_transform(375, 500, o, c);
  CHECK(c() == d());  // eval drew nothing
}

TEST_CASE("validate names the bad field", "[data]") {
  TransformOptions o;
  o.mean = {0.5f, 0.5f};
  CHECK_THROWS_WITH(validate(o), Catch::Contains("mean") && Catch::Contains("got 2"));
  o = TransformOptions();
  o.scale_min = 0.0;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("scale"));
  o = TransformOptions();
  o.channels = 2;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("channels"));
  o = TransformOptions();
  o.hflip = 1.5;
  CHECK_THROWS_WITH(validate(o), Catch::Contains("hflip"));
}

TEST_CASE("train and eval pipelines equal torchvision on PIL images of a photograph", "[data][pil]") {
  TempFolder dir("transforms_pil");
  auto colour = ventral::testing::colour_photo();
  write_png(dir / "colour.png", colour);
  auto gray_path = ventral::testing::data_path("hmax_reference/images/coffee.png");
  TransformOptions train;
  train.img_size = 96;
  train.train = true;
  train.hflip = 0.0;
  // Boxes from ventral's own generator, replayed through torchvision's resized_crop.
  std::vector<CropBox> boxes;
  std::mt19937_64 rng(42);
  for (int k = 0; k < 6; ++k)
    boxes.push_back(random_resized_crop_box(300, 451, 0.08, 1.0, 0.75, 4.0 / 3.0, rng));
  std::ofstream jobs(dir / "jobs.txt");
  for (std::size_t k = 0; k < boxes.size(); ++k) {
    const auto& b = boxes[k];
    jobs << "crop " << dir / "colour.png"
         << " " << dir / fmt::format("crop{}.png", k) << " RGB " << b.top << " " << b.left << " "
         << b.height << " " << b.width << " 96\n";
  }
  jobs << "eval " << dir / "colour.png"
       << " " << dir / "eval_rgb.png"
       << " RGB 224 0.875\n";
  jobs << "eval " << gray_path << " " << dir / "eval_gray.png"
       << " L 224 0.875\n";
  jobs << "eval " << gray_path << " " << dir / "eval_pad.png"
       << " L 300 1.5\n";  // 200 x 300, padded
  jobs << "tensor " << dir / "colour.png"
       << " " << dir / "tensor.f32"
       << " RGB\n";
  jobs.close();
  ventral::testing::run_pil_reference(dir / "jobs.txt");

  for (std::size_t k = 0; k < boxes.size(); ++k) {
    const auto& b = boxes[k];
    ResizeRequest request = whole_image_resize(b.width, b.height, 96, 96);
    request.view = {b.left, b.top, b.width, b.height};
    INFO("box " << b.top << " " << b.left << " " << b.height << " " << b.width);
    CHECK(max_abs_diff(resize_bilinear(colour, request),
                       read_image(dir / fmt::format("crop{}.png", k))) == 0);
  }
  std::mt19937_64 unused(0);
  TransformOptions eval;
  eval.img_size = 224;
  CHECK(max_abs_diff(transform_image(colour, eval, unused), read_image(dir / "eval_rgb.png")) == 0);
  eval.channels = 1;
  auto gray = read_image(gray_path);
  CHECK(max_abs_diff(transform_image(gray, eval, unused), read_image(dir / "eval_gray.png")) == 0);
  eval.img_size = 300;
  eval.crop_pct = 1.5;
  CHECK(max_abs_diff(transform_image(gray, eval, unused), read_image(dir / "eval_pad.png")) == 0);

  // ToTensor + Normalize in float32: bit for bit.
  TransformOptions whole;
  auto ours = apply_transform(colour, whole, unused);
  auto bytes = ventral::testing::read_bytes(dir / "tensor.f32");
  REQUIRE(bytes.size() == static_cast<std::size_t>(ours.numel()) * 4);
  auto theirs = torch::from_blob(bytes.data(), ours.sizes(), torch::kFloat32);
  CHECK(torch::equal(ours, theirs));
}

TEST_CASE("transform_encoded equals decode-then-transform for JPEG and PNG", "[data]") {
  auto colour = ventral::testing::colour_photo();
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> files = {
      {"420.jpg", ventral::testing::encode_jpeg(colour, 90, TJSAMP_420)},
      {"444.jpg", ventral::testing::encode_jpeg(colour, 85, TJSAMP_444)},
      {"422.jpg", ventral::testing::encode_jpeg(colour, 75, TJSAMP_422)},
      {"gray.jpg", ventral::testing::encode_jpeg(to_gray(colour), 90)},
  };
  for (const auto& [name, bytes] : files) {
    Image decoded = decode_image(bytes.data(), bytes.size(), name);
    for (int train = 0; train < 2; ++train) {
      for (int channels : {1, 3}) {
        TransformOptions o;
        o.train = train == 1;
        o.img_size = 64;
        o.channels = channels;
        o.mean = {0.5f};
        o.std = {0.25f};
        for (std::uint64_t seed = 0; seed < 12; ++seed) {
          std::mt19937_64 a(seed), b(seed);
          auto from_bytes = transform_encoded(bytes.data(), bytes.size(), name, o, a);
          auto from_pixels = transform_image(decoded, o, b);
          INFO(name << " train " << train << " channels " << channels << " seed " << seed);
          REQUIRE(max_abs_diff(from_bytes, from_pixels) == 0);
        }
      }
    }
  }
}

TEST_CASE("fast_decode: DCT-scaled decode stays close to the exact pipeline", "[data]") {
  // A 1804 x 1200 photograph (4x the colour photo) cropped to 64: most crops decode at 1/4 or 1/8.
  auto colour = ventral::testing::colour_photo();
  auto large = pil_resize(colour, 451 * 4, 300 * 4);
  auto bytes = ventral::testing::encode_jpeg(large, 90, TJSAMP_420);
  for (int train = 0; train < 2; ++train) {
    TransformOptions exact;
    exact.train = train == 1;
    exact.img_size = 64;
    TransformOptions fast = exact;
    fast.fast_decode = true;
    double total_diff = 0;
    std::size_t count = 0;
    for (std::uint64_t seed = 0; seed < 20; ++seed) {
      std::mt19937_64 a(seed), b(seed);
      auto e = transform_encoded(bytes.data(), bytes.size(), "large.jpg", exact, a);
      auto f = transform_encoded(bytes.data(), bytes.size(), "large.jpg", fast, b);
      REQUIRE((e.width == f.width && e.height == f.height));
      for (std::size_t i = 0; i < e.pixels.size(); ++i)
        total_diff += std::abs(e.pixels[i] - f.pixels[i]);
      count += e.pixels.size();
      CHECK(a() == b());  // same draws either way
    }
    INFO("train " << train << " mean abs diff " << total_diff / count);
    CHECK(total_diff / count < 2.0);
  }
}
