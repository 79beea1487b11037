#include <catch2/catch.hpp>

#include "tests/test_paths.h"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <vector>

#include "common/atomic_output.h"
#include "common/error.h"
#include "common/h5_file.h"

using namespace ventral;
using ventral::testing::temp_path;

TEST_CASE("HDF5 datasets round-trip with nested groups and row blocks", "[common]") {
  auto path = temp_path("rt.h5");
  {
    auto file = h5::File::create(path);
    std::vector<float> a = {1, 2, 3, 4, 5, 6};
    file.write_float("c1/0", {2, 3}, a.data());
    std::vector<std::int64_t> labels = {7, -1};
    file.write_int64("labels", {2}, labels.data());
    file.write_strings("stimulus_id", {"cat", "näive", ""});
    file.create_float("c2", {3, 2});
    std::vector<float> rows01 = {1, 2, 3, 4}, row2 = {5, 6};
    file.write_float_rows("c2", 0, 2, rows01.data());
    file.write_float_rows("c2", 2, 1, row2.data());
    file.write_attribute("model", "hmax-classic");
    file.create_uint8("images", {3, 2, 2});
    std::vector<std::uint8_t> first(8), last = {250, 251, 252, 253};
    for (int i = 0; i < 8; ++i) first[i] = static_cast<std::uint8_t>(i);
    file.write_uint8_rows("images", 0, 2, first.data());
    file.write_uint8_rows("images", 2, 1, last.data());
    CHECK_THROWS_WITH(file.write_uint8_rows("images", 2, 2, last.data()),
                      Catch::Contains("out of range"));
    file.write_attribute("split", "train", "images");
  }
  auto file = h5::File::open_read(path);
  h5::Shape shape;
  CHECK(file.read_float("c1/0", &shape) == std::vector<float>{1, 2, 3, 4, 5, 6});
  CHECK(shape == h5::Shape{2, 3});
  CHECK(file.read_double("c2") == std::vector<double>{1, 2, 3, 4, 5, 6});
  CHECK(file.read_int64("labels") == std::vector<std::int64_t>{7, -1});
  CHECK(file.read_strings("stimulus_id") == std::vector<std::string>{"cat", "näive", ""});
  CHECK(file.list_datasets() ==
        std::vector<std::string>{"c1/0", "c2", "images", "labels", "stimulus_id"});
  CHECK(file.read_float_rows("c2", 1, 3) == std::vector<float>{3, 4, 5, 6});
  CHECK(file.read_attribute("model") == "hmax-classic");
  CHECK(file.read_attribute("split", "images") == "train");
  CHECK(file.read_uint8("images", &shape) ==
        std::vector<std::uint8_t>{0, 1, 2, 3, 4, 5, 6, 7, 250, 251, 252, 253});
  CHECK(shape == h5::Shape{3, 2, 2});
  CHECK(file.is_group("c1"));
  CHECK_FALSE(file.exists("c1/1"));
  CHECK_THROWS_WITH(file.read_float("c1/1"), Catch::Contains("no dataset 'c1/1'"));
  CHECK_THROWS_WITH(file.read_float("stimulus_id"), Catch::Contains("not numeric"));
  std::vector<std::uint8_t> row(4);
  file.read_uint8_rows("images", 2, 3, row.data());
  CHECK(row == std::vector<std::uint8_t>{250, 251, 252, 253});
  CHECK_THROWS_WITH(file.read_uint8_rows("images", 2, 4, row.data()), Catch::Contains("out of range"));
  CHECK(file.is_uint8("images"));
  CHECK_FALSE(file.is_uint8("c2"));
  CHECK(file.dimension_names("c2").empty());  // no DIMENSION_LIST (netCDF files: readers_test)
  std::remove(path.c_str());
}

// Debian's libhdf5 is not thread-safe; h5::File serialises every call, so loader workers
// can read one file concurrently (without the lock this crashes or reads garbage).
TEST_CASE("HDF5 rows read concurrently from one file agree with a serial read", "[common]") {
  auto path = temp_path("threads.h5");
  constexpr std::size_t kRows = 64, kRowBytes = 32 * 32;
  {
    auto file = h5::File::create(path);
    file.create_uint8("images", {kRows, 32, 32});
    std::vector<std::uint8_t> all(kRows * kRowBytes);
    for (std::size_t i = 0; i < all.size(); ++i)
      all[i] = static_cast<std::uint8_t>((i * 7 + i / kRowBytes) % 251);
    file.write_uint8_rows("images", 0, kRows, all.data());
  }
  const auto file = h5::File::open_read(path);
  const std::vector<std::uint8_t> serial = file.read_uint8("images");
  std::vector<std::vector<std::uint8_t>> rows(kRows, std::vector<std::uint8_t>(kRowBytes));
  std::vector<std::thread> workers;
  for (int w = 0; w < 4; ++w) {
    workers.emplace_back([&, w] {
      for (int pass = 0; pass < 20; ++pass) {
        for (std::size_t i = static_cast<std::size_t>(w); i < kRows; i += 4) {
          file.read_uint8_rows("images", i, i + 1, rows[i].data());
        }
      }
    });
  }
  for (auto& worker : workers) worker.join();
  for (std::size_t i = 0; i < kRows; ++i) {
    CHECK(std::equal(rows[i].begin(), rows[i].end(),
                     serial.begin() + static_cast<std::ptrdiff_t>(i * kRowBytes)));
  }
  std::remove(path.c_str());
}

TEST_CASE("a file that is not HDF5 is named in the error", "[common]") {
  auto path = temp_path("text.h5");
  std::ofstream(path) << "plain text";
  CHECK_THROWS_WITH(h5::File::open_read(path),
                    Catch::Contains(path) && Catch::Contains("not an HDF5 file"));
  CHECK_THROWS_WITH(h5::File::open_read(temp_path("missing.h5")), Catch::Contains("cannot open"));
  std::remove(path.c_str());
}

TEST_CASE("atomic output leaves nothing behind unless committed", "[common]") {
  auto path = temp_path("atomic.txt");
  std::remove(path.c_str());
  {
    AtomicOutput out(path);
    std::ofstream(out.temp_path()) << "partial";
  }
  CHECK_FALSE(std::filesystem::exists(path));
  write_text_file(path, "done");
  std::ifstream in(path);
  std::string text;
  in >> text;
  CHECK(text == "done");
  std::remove(path.c_str());
  CHECK_THROWS_WITH(AtomicOutput("/nonexistent-folder/x.h5"), Catch::Contains("does not exist"));
}
