// Region and scaled JPEG decoding: the same pixels as a whole decode (and as Pillow's),
// damage outside the region still reported.
#include <catch2/catch.hpp>

#include <random>

#include "tests/data/data_fixtures.h"
#include "training/data/jpeg_region_decoder.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::encode_jpeg;
using ventral::testing::max_abs_diff;

namespace {

Image crop(const Image& image, int x, int y, int width, int height) {
  Image out{height, width, image.channels, {}};
  for (int r = 0; r < height; ++r) {
    auto begin = image.pixels.begin() +
                 (static_cast<std::size_t>(y + r) * image.width + x) * image.channels;
    out.pixels.insert(out.pixels.end(), begin,
                      begin + static_cast<std::ptrdiff_t>(width) * image.channels);
  }
  return out;
}

}  // namespace

TEST_CASE("decode_jpeg_region: every region equals the same part of a whole decode", "[data]") {
  auto colour = ventral::testing::colour_photo();
  std::vector<std::pair<std::string, std::vector<std::uint8_t>>> files = {
      {"420", encode_jpeg(colour, 90, TJSAMP_420)},
      {"422", encode_jpeg(colour, 80, TJSAMP_422)},
      {"444", encode_jpeg(colour, 95, TJSAMP_444)},
      {"gray", encode_jpeg(to_gray(colour), 90)},
  };
  std::mt19937_64 rng(9);
  for (const auto& [name, bytes] : files) {
    Image whole = decode_image(bytes.data(), bytes.size(), name);
    auto size = read_jpeg_size(bytes.data(), bytes.size(), name);
    CHECK((size.width == 451 && size.height == 300));
    for (int k = 0; k < 150; ++k) {
      int x = static_cast<int>(rng() % 440), y = static_cast<int>(rng() % 290);
      int w = 1 + static_cast<int>(rng() % (451 - x)), h = 1 + static_cast<int>(rng() % (300 - y));
      auto region = decode_jpeg_region(bytes.data(), bytes.size(), name, 1, {x, y, w, h});
      const Image& part = region.image;
      INFO(name << " region " << x << "," << y << " " << w << "x" << h);
      REQUIRE((region.origin_x == x && region.origin_y == y && part.width == w && part.height == h));
      REQUIRE(max_abs_diff(part,
                           crop(whole, region.origin_x, region.origin_y, part.width, part.height)) == 0);
    }
  }
}

TEST_CASE("decode_jpeg_region: scaled decodes have ceil(size / d) pixels", "[data]") {
  auto bytes = encode_jpeg(ventral::testing::colour_photo(), 90);
  for (int d : {1, 2, 4, 8}) {
    auto scaled = scaled_jpeg_size({451, 300}, d);
    auto region = decode_jpeg_region(bytes.data(), bytes.size(), "x.jpg", d,
                                     {0, 0, scaled.width, scaled.height});
    CHECK((region.image.width == (451 + d - 1) / d && region.image.height == (300 + d - 1) / d));
  }
  CHECK_THROWS_WITH(decode_jpeg_region(bytes.data(), bytes.size(), "x.jpg", 3, {0, 0, 1, 1}),
                    Catch::Contains("x.jpg") && Catch::Contains("1/3"));
}

TEST_CASE("decode_jpeg_region: a file truncated below the region is still corrupt", "[data]") {
  auto bytes = encode_jpeg(ventral::testing::colour_photo(), 90);
  bytes.resize(bytes.size() * 2 / 3);
  CHECK_THROWS_AS(decode_image(bytes.data(), bytes.size(), "cut.jpg"), Error);
  CHECK_THROWS_WITH(decode_jpeg_region(bytes.data(), bytes.size(), "cut.jpg", 1, {0, 0, 50, 20}),
                    Catch::Contains("cut.jpg") && Catch::Contains("corrupt"));
  std::vector<std::uint8_t> garbage = {0xFF, 0xD8, 0xFF, 0x00, 0x12};
  CHECK_THROWS_WITH(read_jpeg_size(garbage.data(), garbage.size(), "bad.jpg"),
                    Catch::Contains("bad.jpg"));
}

TEST_CASE("decode_jpeg_region: CMYK becomes RGB as in common/image_io", "[data]") {
  auto colour = ventral::testing::colour_photo();
  std::vector<std::uint8_t> cmyk;
  for (std::size_t i = 0; i < colour.pixels.size(); i += 3) {
    // Adobe-style inverted ink: C = R, M = G, Y = B, K = 255 - i % 64 (a varying black).
    cmyk.insert(cmyk.end(), {colour.pixels[i], colour.pixels[i + 1], colour.pixels[i + 2],
                             static_cast<std::uint8_t>(255 - (i / 3) % 64)});
  }
  auto bytes = encode_jpeg(cmyk.data(), 451, 300, 4, 95, TJSAMP_444);
  Image whole = decode_image(bytes.data(), bytes.size(), "cmyk.jpg");
  REQUIRE(whole.channels == 3);
  auto region = decode_jpeg_region(bytes.data(), bytes.size(), "cmyk.jpg", 1, {0, 0, 451, 300});
  CHECK(max_abs_diff(region.image, whole) == 0);
}

TEST_CASE("whole-image decode equals Pillow's (same libjpeg-turbo, accurate IDCT)", "[data][pil]") {
  ventral::testing::TempFolder dir("jpeg_pil");
  auto bytes = encode_jpeg(ventral::testing::colour_photo(), 90, TJSAMP_420);
  ventral::testing::write_bytes(dir / "photo.jpg", bytes);
  std::ofstream(dir / "jobs.txt") << "decode " << dir / "photo.jpg"
                                  << " " << dir / "pil.png"
                                  << " RGB\n";
  ventral::testing::run_pil_reference(dir / "jobs.txt");
  CHECK(max_abs_diff(read_image(dir / "photo.jpg"), read_image(dir / "pil.png")) == 0);
}
