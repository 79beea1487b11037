// IDX reader: small fixtures (plain and gzip), wrong magic and counts, and the real
// Fashion-MNIST files of Debian's dataset-fashion-mnist.
#include <catch2/catch.hpp>

#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"
#include "training/data/idx_dataset.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::TempFolder;
using ventral::testing::write_idx;

namespace {

// 3 images of 2 x 3 (pixel = 10 * image + position) and labels 2, 0, 4.
void write_fixture(const TempFolder& dir, const std::string& split, bool gz) {
  std::vector<std::uint8_t> pixels;
  for (int i = 0; i < 3; ++i) {
    for (int p = 0; p < 6; ++p) pixels.push_back(static_cast<std::uint8_t>(10 * i + p));
  }
  std::string suffix = gz ? ".gz" : "";
  write_idx(dir / (split + "-images-idx3-ubyte" + suffix), 0x803, {3, 2, 3}, pixels, gz);
  write_idx(dir / (split + "-labels-idx1-ubyte" + suffix), 0x801, {3}, {2, 0, 4}, gz);
}

}  // namespace

TEST_CASE("idx: plain and gzipped fixtures read the same", "[data]") {
  for (bool gz : {false, true}) {
    TempFolder dir(gz ? "idx_gz" : "idx_plain");
    write_fixture(dir, "train", gz);
    auto dataset = open_dataset("idx:" + dir.path(), "train");
    REQUIRE(dataset->size() == 3);
    CHECK(dataset->channels() == 1);
    CHECK(dataset->label(0) == 2);
    CHECK(dataset->label(2) == 4);
    CHECK(dataset->classes() == std::vector<std::string>{"0", "1", "2", "3", "4"});
    auto image = dataset->load(1);
    CHECK((image.height == 2 && image.width == 3 && image.channels == 1));
    CHECK(image.pixels == std::vector<std::uint8_t>{10, 11, 12, 13, 14, 15});
    CHECK(dataset->source(1) ==
          dir / ("train-images-idx3-ubyte" + std::string(gz ? ".gz" : "")) + "[1]");
  }
}

TEST_CASE("idx: wrong magic, count mismatch, truncation and missing files name the file", "[data]") {
  TempFolder dir("idx_bad");
  write_fixture(dir, "train", false);
  // Images and labels swapped: labels' magic where images' is expected.
  write_idx(dir / "swap-images-idx3-ubyte", 0x801, {3}, {1, 2, 3}, false);
  write_idx(dir / "swap-labels-idx1-ubyte", 0x801, {3}, {1, 2, 3}, false);
  CHECK_THROWS_WITH(open_dataset("idx:" + dir.path(), "swap"),
                    Catch::Contains(dir / "swap-images-idx3-ubyte") && Catch::Contains("0x00000801") &&
                        Catch::Contains("0x00000803"));
  write_idx(dir / "count-images-idx3-ubyte", 0x803, {2, 1, 1}, {1, 2}, false);
  write_idx(dir / "count-labels-idx1-ubyte", 0x801, {3}, {1, 2, 3}, false);
  CHECK_THROWS_WITH(open_dataset("idx:" + dir.path(), "count"),
                    Catch::Contains("3 labels") && Catch::Contains("2 images"));
  write_idx(dir / "cut-images-idx3-ubyte", 0x803, {5, 2, 2}, {1, 2, 3}, false);
  write_idx(dir / "cut-labels-idx1-ubyte", 0x801, {5}, {1, 2, 3, 4, 5}, false);
  CHECK_THROWS_WITH(open_dataset("idx:" + dir.path(), "cut"),
                    Catch::Contains("cut-images-idx3-ubyte") && Catch::Contains("truncated"));
  CHECK_THROWS_WITH(open_dataset("idx:" + dir.path(), "val"), Catch::Contains("val-images-idx3-ubyte"));
  CHECK_THROWS_WITH(open_dataset("idx:" + dir.path(), "train", {"classes.txt"}),
                    Catch::Contains("class map"));
}

TEST_CASE("dataset specs: kinds, aliases and eval splits", "[data]") {
  CHECK(parse_dataset_spec("imagenet:/data/x").kind == "imagefolder");
  CHECK(parse_dataset_spec("h5:a:b.h5").path == "a:b.h5");
  CHECK_THROWS_WITH(parse_dataset_spec("cifar:/x"), Catch::Contains("unknown kind 'cifar'"));
  CHECK_THROWS_WITH(parse_dataset_spec("/data/x"), Catch::Contains("KIND:PATH"));
  CHECK(default_eval_split("imagefolder:/x") == "val");
  CHECK(default_eval_split("imagenet:/x") == "val");
  CHECK(default_eval_split("idx:/x") == "t10k");
  CHECK(default_eval_split("h5:/x.h5") == "val");
}

TEST_CASE("idx: Debian's Fashion-MNIST", "[data][slow]") {
  const std::string folder = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(folder + "/train-labels-idx1-ubyte.gz")) {
    WARN("dataset-fashion-mnist is not installed; skipped");
    return;
  }
  auto train = open_dataset("idx:" + folder, "train");
  REQUIRE(train->size() == 60000);
  CHECK(train->classes().size() == 10);
  // First labels 9, 0, 0, 3 (ankle boot, T-shirt, T-shirt, dress), as in the upstream files.
  CHECK(train->label(0) == 9);
  CHECK(train->label(3) == 3);
  auto first = train->load(0);
  CHECK((first.height == 28 && first.width == 28 && first.channels == 1));
  std::int64_t sum = 0;
  for (auto p : first.pixels) sum += p;
  CHECK(sum == 76247);  // numpy: frombuffer(train-images[16:16+784]).sum()
  auto test = open_dataset("idx:" + folder, "t10k");
  REQUIRE(test->size() == 10000);
  CHECK(test->label(0) == 9);
  CHECK(test->label(1) == 2);
}
