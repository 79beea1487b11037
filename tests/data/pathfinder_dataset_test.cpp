// The Pathfinder dataset adapter (training/data/pathfinder_dataset.h): ranges on threads
// equal single images, the HDF5 round trip through open_dataset, the in-memory spec with
// its split seeds, and bad specs. The generator itself is tested in tests/stimuli/.
#include <catch2/catch.hpp>

#include <filesystem>
#include <stdexcept>

#include "common/error.h"
#include "common/h5_file.h"
#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"
#include "training/data/pathfinder_dataset.h"

using namespace ventral;
using namespace ventral::data;
using ventral::stimuli::generate_pathfinder;
using ventral::stimuli::pathfinder_preset;
using ventral::testing::TempFolder;

TEST_CASE("pathfinder dataset: threads and ranges do not change an image", "[data]") {
  auto options = pathfinder_preset("lra32", 9);
  auto range = generate_pathfinder_range(options, 7, 0, 8, 3);
  REQUIRE(range.size() == 8);
  for (std::uint64_t i : {0u, 3u, 7u})
    CHECK(range[i].pixels == generate_pathfinder(options, 7, i).pixels);
  auto offset = generate_pathfinder_range(options, 7, 5, 8, 1);
  REQUIRE(offset.size() == 3);
  CHECK(offset[0].pixels == range[5].pixels);
  CHECK(offset[2].label == range[7].label);
}

TEST_CASE("pathfinder dataset: a contour that cannot be placed fails the range", "[data]") {
  auto too_long = pathfinder_preset("lra32", 200);
  too_long.max_image_attempts = 20;
  REQUIRE_THROWS_WITH(generate_pathfinder_range(too_long, 0, 0, 6, 3),
                      Catch::Contains("cannot place two snakes of 200") && Catch::Contains("(image 0)"));
}

TEST_CASE("pathfinder dataset: file round trip through h5: and the in-memory spec", "[data]") {
  TempFolder dir("pathfinder_h5");
  auto options = pathfinder_preset("lra32", 6);
  auto summary = write_pathfinder_h5(options, 5, 40, 2, dir / "pf.h5");
  CHECK(summary.images == 40);
  auto file = open_dataset("h5:" + dir / "pf.h5", "train");
  REQUIRE(file->size() == 40);
  CHECK(file->channels() == 1);
  CHECK(file->classes() == std::vector<std::string>{"different", "same"});
  auto memory = open_dataset("pathfinder:?length=6&size=32&count=40&seed=5", "train");
  REQUIRE(memory->size() == 40);
  CHECK(memory->channels() == 1);
  for (std::size_t i : {0u, 17u, 39u}) {
    auto sample = generate_pathfinder(options, 5, i);
    CHECK(file->label(i) == sample.label);
    CHECK(memory->label(i) == sample.label);
    auto image = file->load(i);
    CHECK((image.height == 32 && image.width == 32 && image.channels == 1));
    CHECK(image.pixels == sample.pixels);
    CHECK(memory->load(i).pixels == sample.pixels);
  }
  auto stored = h5::File::open_read(dir / "pf.h5");
  CHECK(stored.shape("snakes") == h5::Shape{40, 2, 6, 4});
  CHECK(stored.shape("markers") == h5::Shape{40, 2, 2});
  CHECK(stored.shape("distractors") == h5::Shape{40, 10, 2, 4});
  CHECK(stored.read_attribute("preset") == "lra32");
  CHECK(stored.read_attribute("contour_length") == "6");
  // val and test use derived seeds: other images.
  auto val = open_dataset("pathfinder:?length=6&size=32&count=4&seed=5", "val");
  CHECK(val->load(0).pixels != memory->load(0).pixels);
  CHECK(default_eval_split("pathfinder:?size=32") == "val");
}

TEST_CASE("pathfinder dataset: bad settings name the problem", "[data]") {
  TempFolder dir("pathfinder_bad");
  auto too_long = pathfinder_preset("lra32", 200);
  too_long.max_image_attempts = 200;
  REQUIRE_THROWS_AS(write_pathfinder_h5(too_long, 0, 4, 1, dir / "x.h5"), Error);
  CHECK(!std::filesystem::exists(dir / "x.h5"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=0", "train"), Catch::Contains("size=0"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?count=-3", "train"), Catch::Contains("count=-3"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=32&colour=red", "train"),
                      Catch::Contains("colour"));
  REQUIRE_THROWS_WITH(open_dataset("pathfinder:?size=32&count=2", "holdout"),
                      Catch::Contains("unknown split"));
}
