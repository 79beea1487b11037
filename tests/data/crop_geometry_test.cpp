// torchvision's crop geometry: hand-computed values, including Python's half-to-even round.
#include <catch2/catch.hpp>

#include "training/data/crop_geometry.h"

using namespace ventral::data;

TEST_CASE("python_round rounds halves to even like Python 3", "[data]") {
  CHECK(python_round(0.5) == 0);
  CHECK(python_round(1.5) == 2);
  CHECK(python_round(2.5) == 2);
  CHECK(python_round(16.5) == 16);
  CHECK(python_round(17.5) == 18);
  CHECK(python_round(16.49) == 16);
  CHECK(python_round(-0.5) == 0);
}

TEST_CASE("shorter_side_size matches torchvision F.resize with an int", "[data]") {
  // 500 x 375 landscape: 256 * 500 / 375 = 341.33 -> 341.
  CHECK(shorter_side_size(375, 500, 256) == std::pair<int, int>{256, 341});
  CHECK(shorter_side_size(500, 375, 256) == std::pair<int, int>{341, 256});
  // chelsea.png, 451 x 300: 256 * 451 / 300 = 384.85 -> 384 (truncated, not rounded).
  CHECK(shorter_side_size(300, 451, 256) == std::pair<int, int>{256, 384});
  CHECK(shorter_side_size(64, 64, 32) == std::pair<int, int>{32, 32});
}

TEST_CASE("center_crop_offset matches torchvision CenterCrop, padding included", "[data]") {
  CHECK(center_crop_offset(256, 224) == 16);
  CHECK(center_crop_offset(257, 224) == 16);  // round(16.5) == 16
  CHECK(center_crop_offset(259, 224) == 18);  // round(17.5) == 18
  CHECK(center_crop_offset(224, 224) == 0);
  CHECK(center_crop_offset(200, 224) == -12);  // pad (224 - 200) // 2 = 12 on the left
  CHECK(center_crop_offset(201, 224) == -11);  // pad 11 left, 12 right
}

TEST_CASE("eval_resize_size is timm's floor(img_size / crop_pct)", "[data]") {
  CHECK(eval_resize_size(224, 0.875) == 256);
  CHECK(eval_resize_size(224, 0.9) == 248);  // 248.9
  CHECK(eval_resize_size(64, 1.0) == 64);
  CHECK_THROWS_WITH(eval_resize_size(224, 0.0), Catch::Contains("crop_pct"));
}

TEST_CASE("random_resized_crop_box: fixed cases by hand", "[data]") {
  std::mt19937_64 rng(1);
  // Scale 1 and ratio 1 on a square: the whole image, at any draw.
  auto whole = random_resized_crop_box(100, 100, 1.0, 1.0, 1.0, 1.0, rng);
  CHECK((whole.top == 0 && whole.left == 0 && whole.height == 100 && whole.width == 100));
  // 100 x 200 with scale 1, ratio 1: sqrt(20000) = 141 > 100 rows, so all 10 attempts
  // fail; the fallback clamps the ratio 2 to 1: h = 100, w = round(100 * 1), centred.
  auto fallback = random_resized_crop_box(100, 200, 1.0, 1.0, 1.0, 1.0, rng);
  CHECK((fallback.top == 0 && fallback.left == 50 && fallback.height == 100 && fallback.width == 100));
  // A tall image with ratio >= 1 only: in_ratio 0.5 < 1, so w = 100, h = round(100 / 1).
  auto tall = random_resized_crop_box(200, 100, 1.0, 1.0, 1.0, 2.0, rng);
  CHECK((tall.top == 50 && tall.left == 0 && tall.height == 100 && tall.width == 100));
}

TEST_CASE("random_resized_crop_box: placement is uniform over every position", "[data]") {
  // Area 1/4 at ratio 1 on 100 x 100: always 50 x 50, top and left uniform in 0..50.
  std::mt19937_64 rng(7);
  int min_top = 100, max_top = -1, min_left = 100, max_left = -1;
  for (int k = 0; k < 4000; ++k) {
    auto box = random_resized_crop_box(100, 100, 0.25, 0.25, 1.0, 1.0, rng);
    REQUIRE((box.height == 50 && box.width == 50));
    min_top = std::min(min_top, box.top);
    max_top = std::max(max_top, box.top);
    min_left = std::min(min_left, box.left);
    max_left = std::max(max_left, box.left);
  }
  CHECK(min_top == 0);
  CHECK(max_top == 50);
  CHECK(min_left == 0);
  CHECK(max_left == 50);
}

TEST_CASE("random_resized_crop_box: defaults stay inside the image and the ranges", "[data]") {
  std::mt19937_64 rng(3);
  double area_sum = 0;
  const int draws = 5000;
  for (int k = 0; k < draws; ++k) {
    auto box = random_resized_crop_box(375, 500, 0.08, 1.0, 3.0 / 4.0, 4.0 / 3.0, rng);
    REQUIRE(box.top >= 0);
    REQUIRE(box.left >= 0);
    REQUIRE(box.top + box.height <= 375);
    REQUIRE(box.left + box.width <= 500);
    double ratio = static_cast<double>(box.width) / box.height;
    REQUIRE(ratio > 0.7);
    REQUIRE(ratio < 1.4);
    area_sum += static_cast<double>(box.width) * box.height / (375.0 * 500.0);
  }
  // Accepted draws are biased to smaller areas (large ones do not fit); torchvision's
  // mean area fraction for a 4:3 image with these defaults is 0.435 (20000 draws).
  CHECK(area_sum / draws == Approx(0.435).margin(0.02));
}
