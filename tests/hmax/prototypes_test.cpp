#include <catch2/catch.hpp>

#include <torch/torch.h>
#include "tests/test_paths.h"

#include <cstdio>
#include <filesystem>

#include "common/error.h"
#include "common/h5_file.h"
#include "hmax/prototypes.h"

using namespace ventral;
using ventral::testing::temp_path;

TEST_CASE("prototypes round-trip through HDF5 in size order", "[hmax]") {
  hmax::PrototypeSet set;
  set.sizes = {4, 8};
  set.patches = {torch::rand({3, 4, 4, 4}), torch::rand({2, 4, 8, 8})};
  auto path = temp_path("roundtrip.h5");
  hmax::save_prototypes(path, set,
                        {torch::zeros({3, 4}, torch::kInt64), torch::ones({2, 4}, torch::kInt64)});
  auto loaded = hmax::load_prototypes(path);
  REQUIRE(loaded.sizes == std::vector<int>{4, 8});
  CHECK(torch::equal(loaded.patches[0], set.patches[0]));
  CHECK(torch::equal(loaded.patches[1], set.patches[1]));
  CHECK(loaded.count() == 5);
  std::remove(path.c_str());
}

TEST_CASE("the shipped reference prototype file loads", "[hmax]") {
  auto set = hmax::load_prototypes(ventral::testing::data_path("hmax_reference/patches.h5"));
  CHECK(set.sizes == std::vector<int>{4, 8, 12, 16});
  for (const auto& p : set.patches) CHECK(p.size(0) == 25);
}

TEST_CASE("bad prototype files fail with one clear message", "[hmax]") {
  auto path = temp_path("bad.h5");
  {
    auto file = h5::File::create(path);
    std::vector<float> values(10, 0.f);
    file.write_float("other", {10}, values.data());
  }
  CHECK_THROWS_WITH(hmax::load_prototypes(path), Catch::Contains("no 'patches' group"));
  {
    auto file = h5::File::create(path);
    std::vector<float> values(3 * 3 * 4 * 4, 0.f);
    file.write_float("patches/4", {3, 3, 4, 4}, values.data());
  }
  CHECK_THROWS_WITH(hmax::load_prototypes(path), Catch::Contains("expected (P, 4, 4, 4)"));
  {
    auto file = h5::File::create(path);
    std::vector<float> values(4 * 5 * 5, 0.f);
    file.write_float("patches/5", {1, 4, 5, 5}, values.data());
  }
  CHECK_THROWS_WITH(hmax::load_prototypes(path), Catch::Contains("even patch size"));
  std::remove(path.c_str());
  CHECK_THROWS_AS(hmax::load_prototypes(temp_path("missing.h5")), Error);
}
