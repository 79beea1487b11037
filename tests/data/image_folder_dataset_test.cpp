// imagefolder reader on a tree of real photographs: sorted classes, nested folders,
// extensions, content sniffing (a PNG named .JPEG), CMYK, class maps and errors.
#include <catch2/catch.hpp>

#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::TempFolder;
using ventral::testing::write_bytes;

namespace {

// root/train/{cat,cup}/...: cat has chelsea as JPEG, a PNG renamed .JPEG and a nested
// folder; cup has coffee as JPEG, a CMYK JPEG and files that are not images.
void build_tree(const TempFolder& root) {
  auto chelsea = ventral::testing::photo("chelsea.png");
  auto coffee = ventral::testing::photo("coffee.png");
  write_bytes(root / "train/cat/n01_chelsea.jpg", ventral::testing::encode_jpeg(chelsea));
  write_bytes(root / "train/cat/n02_disguised.JPEG",
              ventral::testing::read_bytes(
                  ventral::testing::data_path("hmax_reference/images/camera_256.png")));
  write_bytes(root / "train/cat/nested/n03_chelsea_sq.jpeg",
              ventral::testing::encode_jpeg(ventral::testing::photo("chelsea_sq300.png")));
  write_bytes(root / "train/cup/c01_coffee.JPG", ventral::testing::encode_jpeg(coffee));
  auto colour = ventral::testing::colour_photo();
  std::vector<std::uint8_t> cmyk;
  for (std::size_t i = 0; i < colour.pixels.size(); i += 3) {
    cmyk.insert(cmyk.end(), {colour.pixels[i], colour.pixels[i + 1], colour.pixels[i + 2], 255});
  }
  write_bytes(root / "train/cup/c02_cmyk.jpg",
              ventral::testing::encode_jpeg(cmyk.data(), 451, 300, 4, 95, TJSAMP_444));
  write_bytes(root / "train/cup/notes.txt", {'h', 'i'});
  write_bytes(root / "train/cup/.DS_Store", {0, 1});
}

}  // namespace

TEST_CASE("imagefolder: classes sorted, files sorted per class, non-images ignored", "[data]") {
  TempFolder root("folder_tree");
  build_tree(root);
  auto dataset = open_dataset("imagefolder:" + root.path(), "train");
  CHECK(dataset->classes() == std::vector<std::string>{"cat", "cup"});
  REQUIRE(dataset->size() == 5);
  CHECK(dataset->source(0) == root / "train/cat/n01_chelsea.jpg");
  CHECK(dataset->source(1) == root / "train/cat/n02_disguised.JPEG");
  CHECK(dataset->source(2) == root / "train/cat/nested/n03_chelsea_sq.jpeg");
  CHECK(dataset->source(3) == root / "train/cup/c01_coffee.JPG");
  CHECK(std::vector<std::int64_t>{dataset->label(0), dataset->label(2), dataset->label(3),
                                  dataset->label(4)} == std::vector<std::int64_t>{0, 0, 1, 1});
  CHECK(dataset->channels() == 3);
  // Gray JPEG -> RGB with equal channels; values equal the source up to JPEG loss.
  auto cat = dataset->load(0);
  CHECK((cat.width == 451 && cat.height == 300 && cat.channels == 3));
  CHECK((cat.pixels[300] == cat.pixels[301] && cat.pixels[301] == cat.pixels[302]));
  // A PNG named .JPEG decodes by content, exactly.
  auto disguised = dataset->load(1);
  auto camera = ventral::testing::photo("camera_256.png");
  CHECK((disguised.width == 256 && disguised.channels == 3));
  CHECK(disguised.pixels[3 * 1000] == camera.pixels[1000]);
  // CMYK with K = 255 (no black ink): RGB within JPEG loss of the colour photo.
  auto cmyk = dataset->load(4);
  REQUIRE(cmyk.channels == 3);
  auto colour = ventral::testing::colour_photo();
  double diff = 0;
  for (std::size_t i = 0; i < cmyk.pixels.size(); ++i)
    diff += std::abs(cmyk.pixels[i] - colour.pixels[i]);
  CHECK(diff / cmyk.pixels.size() < 3.0);
  // The encoded bytes are the file's.
  CHECK(dataset->encoded(3)->size() == std::filesystem::file_size(root / "train/cup/c01_coffee.JPG"));
}

TEST_CASE("imagefolder: the imagenet alias and a class map", "[data]") {
  TempFolder root("folder_map");
  build_tree(root);
  std::ofstream(root / "classes.txt") << "cup\n\ncat  \n";
  auto dataset = open_dataset("imagenet:" + root.path(), "train", {root / "classes.txt"});
  CHECK(dataset->classes() == std::vector<std::string>{"cup", "cat"});
  CHECK(dataset->source(0) == root / "train/cup/c01_coffee.JPG");
  CHECK(dataset->label(0) == 0);
  CHECK(dataset->label(4) == 1);
  std::ofstream(root / "only_cat.txt") << "cat\n";
  CHECK(open_dataset("imagenet:" + root.path(), "train", {root / "only_cat.txt"})->size() == 3);
}

TEST_CASE("imagefolder: errors name the folder or the class-map line", "[data]") {
  TempFolder root("folder_errors");
  build_tree(root);
  std::filesystem::create_directories(root / "train/empty");
  write_bytes(root / "train/empty/readme.txt", {'x'});
  CHECK_THROWS_WITH(open_dataset("imagefolder:" + root.path(), "train"),
                    Catch::Contains(root / "train/empty") && Catch::Contains("no .jpg"));
  std::ofstream(root / "map.txt") << "cat\ndog\n";
  CHECK_THROWS_WITH(open_dataset("imagefolder:" + root.path(), "train", {root / "map.txt"}),
                    Catch::Contains("'dog'") && Catch::Contains(root / "map.txt"));
  std::ofstream(root / "dup.txt") << "cat\ncat\n";
  CHECK_THROWS_WITH(open_dataset("imagefolder:" + root.path(), "train", {root / "dup.txt"}),
                    Catch::Contains("repeats"));
  CHECK_THROWS_WITH(open_dataset("imagefolder:" + root.path(), "val"),
                    Catch::Contains("no split folder 'val'"));
  CHECK_THROWS_WITH(open_dataset("imagefolder:" + root / "missing", "train"),
                    Catch::Contains("no such folder"));
  // A corrupt file is found at load time, named.
  write_bytes(root / "train/cat/n04_broken.jpg", {0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10});
  std::filesystem::remove_all(root / "train/empty");
  auto dataset = open_dataset("imagefolder:" + root.path(), "train");
  REQUIRE(dataset->source(2) == root / "train/cat/n04_broken.jpg");  // sorts before nested/
  CHECK_THROWS_WITH(dataset->load(2), Catch::Contains("n04_broken.jpg"));
}
