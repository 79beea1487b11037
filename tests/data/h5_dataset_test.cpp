// Packed HDF5 datasets: pack_dataset round trips, the h5: reader's checks.
#include <catch2/catch.hpp>

#include "common/h5_file.h"
#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"
#include "training/data/dataset_pack.h"
#include "training/data/transforms.h"

using namespace ventral;
using namespace ventral::data;
using ventral::testing::TempFolder;

namespace {

void write_packed(const std::string& path, std::vector<std::int64_t> labels,
                  std::vector<std::string> classes) {
  auto file = h5::File::create(path);
  std::vector<std::uint8_t> images(labels.size() * 2 * 2 * 3, 7);
  file.write_uint8("images", {labels.size(), 2, 2, 3}, images.data());
  file.write_int64("labels", {labels.size()}, labels.data());
  file.write_strings("classes", classes);
}

}  // namespace

TEST_CASE("pack_dataset then h5: gives back the pixels, labels and classes", "[data]") {
  TempFolder dir("h5_roundtrip");
  ventral::testing::MemoryDataset memory(70, 6, 5);  // more than one block of 64
  PackOptions options;
  options.threads = 3;
  options.source = "memory";
  options.split = "train";
  auto summary = pack_dataset(memory, dir / "train.h5", options);
  CHECK((summary.images == 70 && summary.height == 6 && summary.width == 5 && summary.channels == 3));
  // A folder holds <split>.h5; a file serves any split.
  auto packed = open_dataset("h5:" + dir.path(), "train");
  auto same = open_dataset("h5:" + dir / "train.h5", "val");
  REQUIRE(packed->size() == 70);
  CHECK(packed->classes() == memory.classes());
  CHECK(packed->channels() == 3);
  for (std::size_t i : {0u, 1u, 63u, 64u, 69u}) {
    CHECK(packed->label(i) == memory.label(i));
    CHECK(packed->load(i).pixels == memory.load(i).pixels);
  }
  CHECK(same->source(5) == dir / "train.h5[5]");
}

TEST_CASE("pack_dataset: size > 0 stores the eval transform of each image", "[data]") {
  TempFolder dir("h5_sized");
  ventral::testing::MemoryDataset memory(4, 30, 45);
  PackOptions options;
  options.size = 16;
  pack_dataset(memory, dir / "p.h5", options);
  auto packed = open_dataset("h5:" + dir / "p.h5", "train");
  TransformOptions eval;
  eval.img_size = 16;
  eval.crop_pct = 1.0;
  std::mt19937_64 rng(0);
  auto image = packed->load(2);
  CHECK((image.height == 16 && image.width == 16));
  CHECK(image.pixels == transform_image(memory.load(2), eval, rng).pixels);
}

TEST_CASE("pack_dataset: failures name the sample and leave no file", "[data]") {
  TempFolder dir("h5_pack_errors");
  ventral::testing::MemoryDataset corrupt(10, 4, 4, {7});
  CHECK_THROWS_WITH(pack_dataset(corrupt, dir / "c.h5", {}), Catch::Contains("memory/7.jpg"));
  CHECK(std::filesystem::is_empty(dir.path()));
}

TEST_CASE("h5: labels outside the classes, missing datasets and wrong shapes are errors", "[data]") {
  TempFolder dir("h5_bad");
  write_packed(dir / "bad_label.h5", {0, 1, 5}, {"a", "b"});
  CHECK_THROWS_WITH(open_dataset("h5:" + dir / "bad_label.h5", "train"),
                    Catch::Contains("bad_label.h5") && Catch::Contains("labels[2] is 5") &&
                        Catch::Contains("0..1"));
  write_packed(dir / "negative.h5", {-1}, {"a"});
  CHECK_THROWS_WITH(open_dataset("h5:" + dir / "negative.h5", "train"), Catch::Contains("is -1"));
  {
    auto file = h5::File::create(dir / "no_classes.h5");
    std::vector<std::uint8_t> images(12, 0);
    std::vector<std::int64_t> labels = {0};
    file.write_uint8("images", {1, 2, 2, 3}, images.data());
    file.write_int64("labels", {1}, labels.data());
  }
  CHECK_THROWS_WITH(open_dataset("h5:" + dir / "no_classes.h5", "train"), Catch::Contains("'classes'"));
  {
    auto file = h5::File::create(dir / "flat.h5");
    std::vector<float> images(12, 0);
    std::vector<std::int64_t> labels = {0};
    file.write_float("images", {1, 12}, images.data());
    file.write_int64("labels", {1}, labels.data());
    file.write_strings("classes", {"a"});
  }
  CHECK_THROWS_WITH(open_dataset("h5:" + dir / "flat.h5", "train"), Catch::Contains("N x H x W x C"));
  CHECK_THROWS_WITH(open_dataset("h5:" + dir.path(), "val"), Catch::Contains("val.h5"));
}
