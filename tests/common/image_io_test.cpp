#include <catch2/catch.hpp>

#include "tests/test_paths.h"

#include <turbojpeg.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "common/colormap.h"
#include "common/error.h"
#include "common/image_io.h"

using namespace ventral;
using ventral::testing::temp_path;

namespace {

void write_bytes(const std::string& path, const std::vector<std::uint8_t>& bytes, std::size_t count) {
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), count);
}

std::vector<std::uint8_t> read_bytes(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::vector<std::uint8_t>(std::istreambuf_iterator<char>(in), {});
}

Image gradient(int height, int width, int channels) {
  Image image{height, width, channels, {}};
  for (int r = 0; r < height; ++r) {
    for (int c = 0; c < width; ++c) {
      for (int k = 0; k < channels; ++k)
        image.pixels.push_back(static_cast<std::uint8_t>((r * 7 + c * 3 + k * 50) % 256));
    }
  }
  return image;
}

std::vector<std::uint8_t> encode_jpeg(const Image& image, int quality) {
  tjhandle handle = tjInitCompress();
  unsigned char* buffer = nullptr;
  unsigned long size = 0;
  tjCompress2(handle, image.pixels.data(), image.width, 0, image.height,
              image.channels == 1 ? TJPF_GRAY : TJPF_RGB, &buffer, &size,
              image.channels == 1 ? TJSAMP_GRAY : TJSAMP_444, quality, 0);
  std::vector<std::uint8_t> bytes(buffer, buffer + size);
  tjFree(buffer);
  tjDestroy(handle);
  return bytes;
}

}  // namespace

TEST_CASE("PNG round-trips exactly, gray and RGB", "[common]") {
  for (int channels : {1, 3}) {
    auto image = gradient(17, 23, channels);
    auto path = temp_path("rt.png");
    write_png(path, image);
    auto back = read_image(path);
    CHECK(back.height == 17);
    CHECK(back.width == 23);
    CHECK(back.channels == channels);
    CHECK(back.pixels == image.pixels);
    std::remove(path.c_str());
  }
}

TEST_CASE("the reference PNG decodes to the expected size and gray channel", "[common]") {
  auto image = read_image(ventral::testing::data_path("hmax_reference/images/rocket.png"));
  CHECK(image.width == 640);
  CHECK(image.height == 427);
  CHECK(image.channels == 1);
}

TEST_CASE("JPEG decodes close to the encoded pixels, content sniffed not named", "[common]") {
  auto image = gradient(32, 40, 3);
  auto bytes = encode_jpeg(image, 100);
  auto path = temp_path("photo.png");  // a JPEG with a .png name
  write_bytes(path, bytes, bytes.size());
  auto back = read_image(path);
  REQUIRE(back.channels == 3);
  REQUIRE(back.pixels.size() == image.pixels.size());
  double max_diff = 0;
  for (std::size_t i = 0; i < image.pixels.size(); ++i) {
    max_diff = std::max(max_diff, std::abs(double(back.pixels[i]) - image.pixels[i]));
  }
  CHECK(max_diff < 12);
  std::remove(path.c_str());
}

TEST_CASE("truncated, empty and non-image files fail naming the file", "[common]") {
  auto png_path = temp_path("full.png");
  write_png(png_path, gradient(40, 40, 3));
  auto png = read_bytes(png_path);
  auto cut = temp_path("cut.png");
  write_bytes(cut, png, png.size() / 2);
  CHECK_THROWS_WITH(read_image(cut), Catch::Contains(cut) && Catch::Contains("corrupt PNG"));

  auto jpeg = encode_jpeg(gradient(64, 64, 3), 90);
  auto cut_jpeg = temp_path("cut.jpg");
  write_bytes(cut_jpeg, jpeg, jpeg.size() / 2);
  CHECK_THROWS_WITH(read_image(cut_jpeg), Catch::Contains("JPEG"));

  auto empty = temp_path("empty.png");
  write_bytes(empty, {}, 0);
  CHECK_THROWS_WITH(read_image(empty), Catch::Contains("empty file"));

  auto text = temp_path("notes.png");
  std::ofstream(text) << "hello, not an image";
  CHECK_THROWS_WITH(read_image(text), Catch::Contains("not a PNG or JPEG"));
  CHECK_THROWS_AS(read_image(temp_path("missing.png")), Error);
  for (const auto& p : {png_path, cut, cut_jpeg, empty, text}) std::remove(p.c_str());
}

TEST_CASE("gray conversion uses PIL's integer luma", "[common]") {
  Image rgb{1, 3, 3, {255, 0, 0, 0, 255, 0, 10, 200, 30}};
  auto gray = to_gray(rgb);
  CHECK(gray.pixels == std::vector<std::uint8_t>{76, 150, 124});
}

TEST_CASE("viridis end points", "[common]") {
  auto low = viridis(0.0), high = viridis(1.0);
  CHECK(std::abs(int(low[0]) - 68) <= 4);  // matplotlib: viridis(0) = (68, 1, 84)
  CHECK(std::abs(int(low[2]) - 85) <= 2);
  CHECK(std::abs(int(high[0]) - 253) <= 2);
  CHECK(std::abs(int(high[1]) - 231) <= 2);
}
