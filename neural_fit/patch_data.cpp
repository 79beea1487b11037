#include "neural_fit/patch_data.h"

#include <cmath>
#include <unordered_set>

#include "common/error.h"
#include "common/h5_file.h"

namespace ventral::neural_fit {

PatchData read_patch_data(const std::string& path) {
  auto file = h5::File::open_read(path);
  if (!file.is_dataset("responses") || !file.is_dataset("stimulus_id")) {
    fail("{}: patch data need 'responses' (images x g x g x sites [x reps]) and 'stimulus_id'", path);
  }
  h5::Shape shape;
  auto values = file.read_double("responses", &shape);
  if (shape.size() != 4 && shape.size() != 5) {
    fail("{}: 'responses' is {}; expected images x g x g x sites [x reps]", path,
         h5::shape_string(shape));
  }
  if (shape[1] != shape[2]) fail("{}: grid {}x{} is not square", path, shape[1], shape[2]);
  PatchData d;
  d.source = path;
  d.stimulus_ids = file.read_strings("stimulus_id");
  const Index images = static_cast<Index>(shape[0]);
  if (static_cast<Index>(d.stimulus_ids.size()) != images) {
    fail("{}: {} stimulus ids for {} images", path, d.stimulus_ids.size(), images);
  }
  std::unordered_set<std::string> seen;
  for (const auto& id : d.stimulus_ids) {
    if (!seen.insert(id).second) fail("{}: duplicate stimulus_id '{}'", path, id);
  }
  if (images < 3)
    fail("{}: leave-one-image-out with nested layer choice needs >= 3 images, got {}", path, images);
  d.grid = static_cast<Index>(shape[1]);
  d.sites = static_cast<Index>(shape[3]);
  d.reps = shape.size() == 5 ? static_cast<Index>(shape[4]) : 0;
  const Index r = std::max<Index>(d.reps, 1), positions = d.grid * d.grid;
  for (double v : values) {
    if (!std::isfinite(v)) fail("{}: 'responses' contains NaN or inf", path);
  }
  for (Index i = 0; i < images; ++i) {
    Matrix mean = Matrix::Zero(positions, d.sites);
    std::vector<Matrix> trials(static_cast<std::size_t>(d.reps), Matrix(positions, d.sites));
    for (Index p = 0; p < positions; ++p) {
      for (Index s = 0; s < d.sites; ++s) {
        for (Index k = 0; k < r; ++k) {
          double v = values[static_cast<std::size_t>(((i * positions + p) * d.sites + s) * r + k)];
          mean(p, s) += v / static_cast<double>(r);
          if (d.reps > 0) trials[static_cast<std::size_t>(k)](p, s) = v;
        }
      }
    }
    d.maps.push_back(std::move(mean));
    d.trial_maps.push_back(std::move(trials));
  }
  return d;
}

}  // namespace ventral::neural_fit
