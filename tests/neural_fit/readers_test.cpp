// Readers: BrainIO NetCDF fixtures from xarray/netCDF4 (compressed `data` and plain
// DataArray.to_netcdf), the simple HDF5 format, stimulus-set CSV, feature files, and
// every bad-input case of issue 4 sec. 10.
#include <catch2/catch.hpp>

#include <fstream>

#include "common/h5_file.h"
#include "neural_fit/feature_file.h"
#include "neural_fit/fit_standard.h"
#include "neural_fit/netcdf_reader.h"
#include "neural_fit/neural_h5.h"
#include "neural_fit/stimulus_set.h"
#include "tests/neural_fit/reference_fixture.h"

namespace nf = ventral::neural_fit;
using nf::Index;
using nf::Matrix;
using nf::testing::read_matrix;
using nf::testing::reference_dir;

namespace {

void check_against_expected(const nf::NeuralData& d) {
  const std::string expected = reference_dir() + "/assembly_expected.h5";
  auto ids = ventral::h5::File::open_read(expected).read_strings("stimulus_id");
  auto neuroids = ventral::h5::File::open_read(expected).read_strings("neuroid_id");
  REQUIRE(d.stimulus_ids == ids);
  REQUIRE(d.neuroid_ids == neuroids);
  Matrix want = read_matrix(expected, "responses");
  REQUIRE((d.responses - want).cwiseAbs().maxCoeff() < 1e-6);
}

}  // namespace

TEST_CASE("BrainIO NetCDF, compressed 'data' variable", "[neural_fit]") {
  const std::string path = reference_dir() + "/brainio_compressed.nc";
  REQUIRE(nf::is_brainio_netcdf(path));
  auto a = nf::read_neural_file(path, "IT", "70,170");
  REQUIRE(a.responses.rows() == 72);
  REQUIRE(a.responses.cols() == 4);
  REQUIRE(a.presentation_coords.count("object_name"));
  auto d = nf::prepare_neural_data(a);
  check_against_expected(d);
  REQUIRE(d.trials.repetition.size() == 72);
  REQUIRE(d.stimulus_coords.at("object_name")[5] == "obj1");  // img005 -> obj(5 % 4)
}

TEST_CASE("BrainIO NetCDF, plain DataArray.to_netcdf with transposed axes", "[neural_fit]") {
  auto a = nf::read_neural_file(reference_dir() + "/brainio_plain.nc", "IT", "70,170");
  check_against_expected(nf::prepare_neural_data(a));
}

TEST_CASE("BrainIO NetCDF, legacy image_id and no time_bin axis", "[neural_fit]") {
  auto a = nf::read_neural_file(reference_dir() + "/brainio_legacy.nc", "IT", "");
  check_against_expected(nf::prepare_neural_data(a));
}

TEST_CASE("NetCDF selection errors name the file and the choices", "[neural_fit]") {
  const std::string path = reference_dir() + "/brainio_compressed.nc";
  REQUIRE_THROWS_WITH(nf::read_neural_file(path, "IT", ""),
                      Catch::Contains("2 time bins (70,170; 170,270)"));
  REQUIRE_THROWS_WITH(nf::read_neural_file(path, "IT", "0,100"), Catch::Contains("no such time bin"));
  REQUIRE_THROWS_WITH(nf::read_neural_file(path, "V1", "70,170"), Catch::Contains("present: IT, V4"));
  REQUIRE_THROWS_WITH(nf::read_neural_file(reference_dir() + "/no_data_variable.nc", "", ""),
                      Catch::Contains("no data variable"));
}

TEST_CASE("NaN responses exclude the neuroid with a warning", "[neural_fit]") {
  auto d = nf::prepare_neural_data(
      nf::read_neural_file(reference_dir() + "/brainio_nan.nc", "", "70,170"));
  REQUIRE(d.excluded_nonfinite == 1);
  REQUIRE(d.neuroid_ids.size() == 5);
  REQUIRE(d.warnings.at(0).find("Chabo_L_M_1") != std::string::npos);
}

TEST_CASE("Files that are not neural data fail with one clear message", "[neural_fit]") {
  std::string dir = nf::testing::scratch_dir();
  std::ofstream(dir + "/text.nc") << "not a netcdf file\n";
  REQUIRE_THROWS_WITH(nf::read_neural_file(dir + "/text.nc", "", ""),
                      Catch::Contains("not a NetCDF-4/HDF5 file"));
  REQUIRE_THROWS_WITH(nf::read_neural_file(dir + "/missing.nc", "", ""), Catch::Contains("cannot open"));
}

TEST_CASE("Simple HDF5 format: shapes, duplicates, constant and NaN sites", "[neural_fit]") {
  std::string dir = nf::testing::scratch_dir();
  nf::NeuralH5Contents c;
  c.reps = 2;
  c.stimuli = 3;
  c.sites = 4;
  c.stimulus_id = {"b", "a", "c"};
  c.site_id = {"s0", "s1", "s2", "s3"};
  // site 2 constant, site 3 has a NaN trial
  c.responses = {1, 5, 7, 1, 2, 6, 7, 2, 3, 4, 7, 3, 3, 5, 7, NAN, 4, 6, 7, 2, 5, 4, 7, 3};
  nf::write_neural_h5(dir + "/n.h5", c);
  auto d = nf::prepare_neural_data(nf::read_neural_file(dir + "/n.h5", "", ""));
  REQUIRE(d.stimulus_ids == std::vector<std::string>{"a", "b", "c"});
  REQUIRE(d.neuroid_ids == std::vector<std::string>{"s0", "s1"});
  REQUIRE(d.responses(0, 0) == 3);  // stimulus a: (2 + 4) / 2
  REQUIRE(d.excluded_constant == 1);
  REQUIRE(d.excluded_nonfinite == 1);
  c.stimulus_id = {"a", "a", "c"};
  nf::write_neural_h5(dir + "/dup.h5", c);
  REQUIRE_THROWS_WITH(nf::read_neural_file(dir + "/dup.h5", "", ""),
                      Catch::Contains("duplicate stimulus_id 'a'"));
  c.stimulus_id = {"a", "b"};
  nf::write_neural_h5(dir + "/short.h5", c);
  REQUIRE_THROWS_WITH(nf::read_neural_file(dir + "/short.h5", "", ""),
                      Catch::Contains("2 stimulus ids for 3 stimuli"));
  c.stimulus_id = {"a", "b", "c"};
  c.responses.assign(24, NAN);
  nf::write_neural_h5(dir + "/allnan.h5", c);
  REQUIRE_THROWS_WITH(nf::prepare_neural_data(nf::read_neural_file(dir + "/allnan.h5", "", "")),
                      Catch::Contains("no usable neuroid"));
}

TEST_CASE("Feature files: layers, missing and duplicate ids", "[neural_fit]") {
  nf::FeatureFile f(reference_dir() + "/features.h5");
  REQUIRE(f.layers() == std::vector<std::string>{"c1", "c2"});
  REQUIRE(f.layer_shape("c1") == ventral::h5::Shape{4, 5, 5});
  auto x = f.read_rows("c1", {3, 0});
  REQUIRE(x.rows() == 2);
  REQUIRE(x.cols() == 100);
  REQUIRE(x(1, 7) == f.read_rows("c1", {0})(0, 7));
  REQUIRE_THROWS_WITH(f.rows_for({"img000", "zzz1", "zzz2"}),
                      Catch::Contains("2 of 3 neural stimulus ids missing") &&
                          Catch::Contains("zzz1, zzz2"));
  REQUIRE_THROWS_WITH(f.read_rows("c9", {0}), Catch::Contains("no layer 'c9'; layers: c1, c2"));
  std::string dir = nf::testing::scratch_dir();
  {
    auto w = ventral::h5::File::create(dir + "/dup.h5");
    w.write_strings("stimulus_id", {"a", "a"});
    float v[2] = {1, 2};
    w.write_float("c2", {2, 1}, v);
  }
  REQUIRE_THROWS_WITH(nf::FeatureFile(dir + "/dup.h5"), Catch::Contains("duplicate stimulus_id 'a'"));
}

TEST_CASE("Stimulus-set CSV with quoting", "[neural_fit]") {
  std::string dir = nf::testing::scratch_dir();
  std::ofstream(dir + "/stim.csv") << "stimulus_id,filename,object_name\n"
                                      "a1,images/a1.png,\"car, red\"\n"
                                      "b2,/abs/b2.png,\"say \"\"hi\"\"\"\r\n";
  auto set = nf::read_stimulus_set(dir + "/stim.csv");
  REQUIRE(set.stimulus_id == std::vector<std::string>{"a1", "b2"});
  REQUIRE(set.path[0] == dir + "/images/a1.png");
  REQUIRE(set.path[1] == "/abs/b2.png");
  REQUIRE(set.columns.at("object_name")[0] == "car, red");
  REQUIRE(set.columns.at("object_name")[1] == "say \"hi\"");
  std::ofstream(dir + "/bad.csv") << "stimulus_id,name\na,b\n";
  REQUIRE_THROWS_WITH(nf::read_stimulus_set(dir + "/bad.csv"), Catch::Contains("needs columns"));
}

TEST_CASE("A layer sweep on the NetCDF fixture, stratified by object", "[neural_fit]") {
  nf::FitOptions options;
  options.stratify = "object_name";
  options.splits.n_splits = 4;
  options.splits.train_fraction = 0.75;
  auto target = nf::prepare_target(nf::read_neural_file(reference_dir() + "/brainio_compressed.nc", "IT",
                                                        "70,170"),
                                   options);
  REQUIRE(target.splits.size() == 4);
  REQUIRE(target.ceiling.available);
  nf::FeatureFile f(reference_dir() + "/features.h5");
  auto c1 = nf::score_layer(f, "c1", target, options);
  REQUIRE(c1.features == 100);
  REQUIRE(c1.score.per_neuroid.rows() == 4);
  REQUIRE(c1.score.per_neuroid.cols() == 4);
  INFO("per split/neuroid r: " << c1.score.per_neuroid);
  REQUIRE(std::isfinite(c1.score.raw));
  REQUIRE(c1.score.ceiled.ev2026 == Approx(c1.score.raw * c1.score.raw / target.ceiling.value));
  options.pca = 10;
  auto reduced = nf::score_layer(f, "c1", target, options);
  REQUIRE(reduced.features_fitted == 10);
}
