// Feature extraction as a library (training/feature_extraction.h): the file it writes equals
// the model's own features, image resizing is Pillow's (the one resampler of ventral), and
// bad input leaves nothing behind.
#include <catch2/catch.hpp>
#include <torch/torch.h>

#include <filesystem>
#include <fstream>

#include "common/h5_file.h"
#include "common/image_io.h"
#include "models/registry.h"
#include "tests/data/data_fixtures.h"
#include "tests/test_paths.h"
#include "training/feature_extraction.h"
#include "training/image_files.h"

using namespace ventral;

namespace {

std::string reference_image(const std::string& name) {
  return testing::data_path("hmax_reference/images/" + name);
}

// A narrow hmax-wide in eval mode: a real model that runs in milliseconds.
std::shared_ptr<models::VisionModelImpl> small_hmax_wide() {
  auto model = models::create_model("hmax-wide", {{},
                                                  {{"input_size", "32"},
                                                   {"width", "4"},
                                                   {"s2_width", "4"},
                                                   {"s3_width", "4"},
                                                   {"num_classes", "3"}}});
  model->eval();
  return model;
}

std::vector<std::string> three_photos() {
  return {reference_image("chelsea.png"), reference_image("rocket.png"), reference_image("coffee.png")};
}

// The reference photographs as a dataset held in memory.
class PhotoDataset : public data::Dataset {
 public:
  explicit PhotoDataset(std::vector<std::string> paths) : paths_(std::move(paths)) {}
  std::size_t size() const override { return paths_.size(); }
  std::int64_t label(std::size_t i) const override { return 0; }
  Image load(std::size_t i) const override { return read_image(paths_.at(i)); }
  std::string source(std::size_t i) const override { return paths_.at(i); }
  const std::vector<std::string>& classes() const override { return classes_; }
  int channels() const override { return 3; }

 private:
  std::vector<std::string> paths_;
  std::vector<std::string> classes_ = {"photo"};
};

}  // namespace

TEST_CASE("image_tensor resizes exactly as Pillow's convert + resize(BILINEAR)", "[training][pil]") {
  testing::TempFolder dir("image_tensor_resize");
  std::ofstream jobs(dir / "jobs.txt");
  jobs << "resize " << reference_image("chelsea.png") << " " << dir / "gray.png"
       << " L 64 64\n";
  jobs << "resize " << reference_image("rocket.png") << " " << dir / "rgb.png"
       << " RGB 50 50\n";
  jobs.close();
  testing::run_pil_reference(dir / "jobs.txt");
  auto as_tensor = [](Image image) {
    return torch::from_blob(image.pixels.data(), {image.height, image.width, image.channels},
                            torch::kUInt8)
        .permute({2, 0, 1})
        .to(torch::kFloat32);
  };
  auto gray = training::load_image_tensor(reference_image("chelsea.png"), 1, 64);
  CHECK(torch::equal(gray, as_tensor(read_image(dir / "gray.png"))));
  auto rgb = training::load_image_tensor(reference_image("rocket.png"), 3, 50);
  CHECK(torch::equal(rgb, as_tensor(read_image(dir / "rgb.png"))));
}

TEST_CASE("extract_features writes the model's features for every image", "[training]") {
  testing::TempFolder dir("extract_features");
  auto model = small_hmax_wide();
  const std::vector<std::string> paths = three_photos();
  training::FeatureExtractionOptions options;
  options.layers = {"c2", "logits"};
  options.size = 40;
  options.batch_size = 2;  // two batches: 2 + 1
  options.attributes["model"] = "hmax-wide";
  const auto out = dir / "features.h5";
  auto result = training::extract_features(*model, paths, options, out);
  CHECK(result.stimulus_ids == std::vector<std::string>{"chelsea", "rocket", "coffee"});
  CHECK(result.layers == std::vector<std::string>{"c2/0", "logits"});

  auto file = h5::File::open_read(out);
  CHECK(file.read_strings("stimulus_id") == result.stimulus_ids);
  h5::Shape shape;
  auto logits = file.read_float("logits", &shape);
  REQUIRE(shape == h5::Shape{3, 3});
  std::vector<torch::Tensor> images;
  for (const auto& path : paths) images.push_back(training::load_image_tensor(path, 3, 40));
  torch::NoGradGuard no_grad;
  auto expected = model->forward(torch::stack(images)).contiguous();
  auto written = torch::from_blob(logits.data(), {3, 3}, torch::kFloat32);
  CHECK(torch::allclose(written, expected, 1e-5, 1e-6));

  // Bad input: an unknown layer or a repeated stem stops before anything is written.
  const auto bad = dir / "bad.h5";
  options.layers = {"c9"};
  CHECK_THROWS_WITH(training::extract_features(*model, paths, options, bad), Catch::Contains("c9"));
  options.layers = {"c2"};
  CHECK_THROWS_WITH(training::extract_features(*model, {paths[0], paths[0]}, options, bad),
                    Catch::Contains("duplicate stimulus_id 'chelsea'"));
  CHECK_FALSE(std::filesystem::exists(bad));
  // The output may not be one of the inputs: the image stays byte-identical.
  const auto input_copy = dir / "input.png";
  std::filesystem::copy_file(paths[0], input_copy);
  const auto before = testing::read_bytes(input_copy);
  CHECK_THROWS_WITH(training::extract_features(*model, {input_copy, paths[1]}, options, input_copy),
                    Catch::Contains("is one of the inputs"));
  CHECK(testing::read_bytes(input_copy) == before);
  // Spatial layers need one image size.
  options.size = 0;
  options.layers = {"c1"};
  CHECK_THROWS_WITH(training::extract_features(*model, paths, options, bad), Catch::Contains("--size"));
  CHECK_FALSE(std::filesystem::exists(bad));
}

TEST_CASE("extract_dataset_features equals extract_features on the same images", "[training]") {
  testing::TempFolder dir("extract_dataset_features");
  auto model = small_hmax_wide();
  const std::vector<std::string> paths = three_photos();
  training::FeatureExtractionOptions options;
  options.layers = {"logits"};
  options.size = 40;
  const PhotoDataset dataset(paths);
  auto result = training::extract_dataset_features(*model, dataset, "val", dir / "photos", 2, options,
                                                   dir / "first2.h5");
  CHECK(result.stimulus_ids == std::vector<std::string>{"val-0", "val-1"});
  training::extract_features(*model, {paths[0], paths[1]}, options, dir / "files.h5");
  auto from_dataset = h5::File::open_read(dir / "first2.h5").read_float("logits");
  CHECK(from_dataset == h5::File::open_read(dir / "files.h5").read_float("logits"));
  // count 0 is every image; ids are zero-padded to one width so that they sort like indices.
  std::vector<std::string> many(12, paths[0]);
  auto all = training::extract_dataset_features(*model, PhotoDataset(many), "t10k", dir / "photos", 0,
                                                options, dir / "all.h5");
  CHECK(all.stimulus_ids.front() == "t10k-00");
  CHECK(all.stimulus_ids.back() == "t10k-11");
  CHECK_THROWS_WITH(training::extract_dataset_features(*model, dataset, "val", dir / "photos", 4,
                                                       options, dir / "bad.h5"),
                    Catch::Contains("has 3 images"));
  CHECK_FALSE(std::filesystem::exists(dir / "bad.h5"));
}
