// clickme:PATH as a dataset: ventral's ClickMe HDF5 read like any other data (photographs,
// labels, classes), with its checks.
#include <catch2/catch.hpp>

#include "common/error.h"
#include "common/h5_file.h"
#include "tests/data/data_fixtures.h"
#include "training/data/dataset.h"

using namespace ventral;
using ventral::testing::TempFolder;

namespace {

void write_clickme(const std::string& path, std::vector<std::int64_t> labels, bool images,
                   std::vector<std::string> classes = {}) {
  auto file = h5::File::create(path);
  const std::size_t n = labels.size();
  std::vector<std::uint8_t> pixels(n * 4 * 3 * 3);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<std::uint8_t>(i % 251);
  if (images) file.write_uint8("images", {n, 4, 3, 3}, pixels.data());
  std::vector<float> maps(n * 4 * 3, 1.0f);
  file.write_float("maps", {n, 4, 3}, maps.data());
  file.write_int64("labels", {n}, labels.data());
  std::vector<std::string> ids;
  for (std::size_t i = 0; i < n; ++i) ids.push_back("val-0.tfrecords#" + std::to_string(i));
  file.write_strings("stimulus_id", ids);
  if (!classes.empty()) file.write_strings("classes", classes);
}

}  // namespace

TEST_CASE("clickme: reads the photographs, labels and classes of a ClickMe HDF5", "[data]") {
  TempFolder dir("clickme_dataset");
  write_clickme(dir / "val.h5", {3, 999}, true);
  auto data = data::open_dataset("clickme:" + dir.path(), "val");  // a folder of <split>.h5
  REQUIRE(data->size() == 2);
  CHECK(data->channels() == 3);
  CHECK(data->classes().size() == 1000);  // no classes dataset: ImageNet indices
  CHECK(data->classes()[999] == "999");
  CHECK(data->label(1) == 999);
  const Image second = data->load(1);
  CHECK((second.height == 4 && second.width == 3 && second.channels == 3));
  CHECK(second.pixels[0] == 36);  // element 36 of the stack
  CHECK(data->source(1).find("val-0.tfrecords#1") != std::string::npos);
  CHECK(data::default_eval_split("clickme:" + dir.path()) == "val");

  write_clickme(dir / "named.h5", {0, 1}, true, {"cat", "dog"});
  CHECK(data::open_dataset("clickme:" + dir / "named.h5", "train")->classes() ==
        std::vector<std::string>{"cat", "dog"});
  write_clickme(dir / "bad_label.h5", {0, 2}, true, {"cat", "dog"});
  CHECK_THROWS_WITH(data::open_dataset("clickme:" + dir / "bad_label.h5", "val"),
                    Catch::Contains("labels[1] is 2, expected 0..1"));
  write_clickme(dir / "maps_only.h5", {0}, false);
  CHECK_THROWS_WITH(data::open_dataset("clickme:" + dir / "maps_only.h5", "val"),
                    Catch::Contains("no 'images' dataset"));
}
