#include "neural_fit/neural_h5.h"

#include <fstream>
#include <unordered_set>

#include "common/error.h"
#include "common/h5_file.h"
#include "neural_fit/netcdf_reader.h"

namespace ventral::neural_fit {

bool is_neural_h5(const std::string& path) {
  if (!h5::is_hdf5_file(path)) return false;
  return h5::File::open_read(path).is_dataset("responses");
}

NeuralAssembly read_neural_h5(const std::string& path, const std::string& region) {
  auto file = h5::File::open_read(path);
  if (!file.is_dataset("stimulus_id")) fail("{}: no 'stimulus_id' dataset", path);
  h5::Shape shape;
  auto values = file.read_double("responses", &shape);
  if (shape.size() != 2 && shape.size() != 3) {
    fail("{}: 'responses' is {}; expected reps x stimuli x sites or stimuli x sites", path,
         h5::shape_string(shape));
  }
  const std::size_t reps = shape.size() == 3 ? shape[0] : 1;
  const std::size_t stimuli = shape[shape.size() - 2], sites = shape.back();
  NeuralAssembly a;
  a.source = path;
  auto ids = file.read_strings("stimulus_id");
  if (ids.size() != stimuli)
    fail("{}: {} stimulus ids for {} stimuli in 'responses'", path, ids.size(), stimuli);
  std::unordered_set<std::string> seen;
  for (const auto& id : ids) {
    if (!seen.insert(id).second) fail("{}: duplicate stimulus_id '{}'", path, id);
  }
  a.responses.resize(static_cast<Index>(reps * stimuli), static_cast<Index>(sites));
  for (std::size_t r = 0; r < reps; ++r) {
    for (std::size_t s = 0; s < stimuli; ++s) {
      const Index row = static_cast<Index>(r * stimuli + s);
      for (std::size_t j = 0; j < sites; ++j)
        a.responses(row, static_cast<Index>(j)) = values[(r * stimuli + s) * sites + j];
      a.stimulus_id.push_back(ids[s]);
      a.repetition.push_back(static_cast<std::int64_t>(r));
    }
  }
  if (file.is_dataset("stimulus_meta")) fail("{}: 'stimulus_meta' must be a group", path);
  if (file.is_group("stimulus_meta")) {
    for (const auto& name : file.list("stimulus_meta")) {
      auto meta = file.read_strings("stimulus_meta/" + name);
      if (meta.size() != stimuli)
        fail("{}: stimulus_meta/{} has {} values for {} stimuli", path, name, meta.size(), stimuli);
      auto& out = a.presentation_coords[name];
      for (std::size_t r = 0; r < reps; ++r) out.insert(out.end(), meta.begin(), meta.end());
    }
  }
  for (const char* name : {"site_id", "region"}) {
    if (!file.is_dataset(name)) continue;
    auto v = file.read_strings(name);
    if (v.size() != sites) fail("{}: '{}' has {} values for {} sites", path, name, v.size(), sites);
    a.neuroid_coords[name] = v;
  }
  if (a.neuroid_coords.count("site_id")) {
    a.neuroid_id = a.neuroid_coords["site_id"];
  } else {
    for (std::size_t j = 0; j < sites; ++j) a.neuroid_id.push_back(std::to_string(j));
  }
  select_region(a, region);
  return a;
}

void write_neural_h5(const std::string& path, const NeuralH5Contents& c) {
  auto file = h5::File::create(path);
  file.write_float("responses",
                   {static_cast<std::size_t>(c.reps), static_cast<std::size_t>(c.stimuli),
                    static_cast<std::size_t>(c.sites)},
                   c.responses.data());
  file.write_strings("stimulus_id", c.stimulus_id);
  file.write_strings("site_id", c.site_id);
  if (!c.region.empty()) file.write_strings("region", c.region);
  for (const auto& [name, values] : c.extra) file.write_double(name, {values.size()}, values.data());
  for (const auto& [name, value] : c.attributes) file.write_attribute(name, value);
}

NeuralAssembly read_neural_file(const std::string& path, const std::string& region,
                                const std::string& time_bin) {
  if (!std::ifstream(path)) fail("{}: cannot open neural data file (missing or unreadable)", path);
  if (!h5::is_hdf5_file(path)) fail("{}: not a NetCDF-4/HDF5 file", path);
  if (is_neural_h5(path)) {
    if (!time_bin.empty()) fail("{}: --time-bin applies to NetCDF assemblies only", path);
    return read_neural_h5(path, region);
  }
  return read_brainio_netcdf(path, {region, time_bin});
}

}  // namespace ventral::neural_fit
