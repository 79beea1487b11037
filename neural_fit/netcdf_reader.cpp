#include "neural_fit/netcdf_reader.h"

#include <algorithm>
#include <map>

#include "common/error.h"
#include "common/h5_file.h"

namespace ventral::neural_fit {
namespace {

constexpr const char* kBareDimension = "This is a netCDF dimension but not a netCDF variable";

using CoordMap = std::map<std::string, std::vector<std::string>>;

std::string find_data_variable(const h5::File& file) {
  for (const char* name : {"data", "__xarray_dataarray_variable__"}) {
    if (file.is_dataset(name)) return name;
  }
  std::vector<std::string> candidates;
  for (const auto& name : file.list("/")) {
    if (file.is_dataset(name) && file.has_attribute("coordinates", name) &&
        file.shape(name).size() >= 2) {
      candidates.push_back(name);
    }
  }
  if (candidates.size() == 1) return candidates[0];
  fail("{}: no data variable (expected 'data' or '__xarray_dataarray_variable__'{})", file.path(),
       candidates.empty() ? "" : ", found several candidates");
}

// Values of a 1-D coordinate variable as text (strings as is, integers without decimals).
std::vector<std::string> read_as_text(const h5::File& file, const std::string& name) {
  if (file.is_string(name)) return file.read_strings(name);
  std::vector<std::string> out;
  auto values = file.read_double(name);
  for (double v : values) {
    out.push_back(v == static_cast<double>(static_cast<long long>(v))
                      ? std::to_string(static_cast<long long>(v))
                      : fmt::format("{}", v));
  }
  return out;
}

// Coordinates of each dimension: dim name -> (coord name -> values).
std::map<std::string, CoordMap> read_coordinates(const h5::File& file, const std::string& data) {
  std::map<std::string, CoordMap> coords;
  for (const auto& name : file.list("/")) {
    if (name == data || !file.is_dataset(name) || file.shape(name).size() != 1) continue;
    auto dims = file.dimension_names(name);
    if (dims.size() == 1) {
      coords[dims[0]][name] = read_as_text(file, name);
    } else if (dims.empty() && file.has_attribute("NAME", name) &&
               file.read_attribute("NAME", name).rfind(kBareDimension, 0) != 0) {
      coords[name][name] = read_as_text(file, name);  // a dimension with its own values
    }
  }
  return coords;
}

// Index of the time bin to use along the time axis.
std::size_t pick_time_bin(const std::string& path, const CoordMap& coords, std::size_t count,
                          const std::string& wanted) {
  auto start = coords.find("time_bin_start"), end = coords.find("time_bin_end");
  std::vector<std::string> labels;
  for (std::size_t i = 0; i < count; ++i) {
    labels.push_back(start != coords.end() && end != coords.end()
                         ? start->second[i] + "," + end->second[i]
                         : std::to_string(i));
  }
  if (wanted.empty()) {
    if (count == 1) return 0;
    fail("{}: {} time bins ({}); choose one with --time-bin START,END", path, count,
         fmt::join(labels, "; "));
  }
  auto it = std::find(labels.begin(), labels.end(), wanted);
  if (it == labels.end()) {
    fail("{}: --time-bin {}: no such time bin; present: {}", path, wanted, fmt::join(labels, "; "));
  }
  return static_cast<std::size_t>(it - labels.begin());
}

}  // namespace

bool is_brainio_netcdf(const std::string& path) {
  if (!h5::is_hdf5_file(path)) return false;
  auto file = h5::File::open_read(path);
  if (file.is_dataset("data") || file.is_dataset("__xarray_dataarray_variable__")) return true;
  return file.has_attribute("_NCProperties");
}

NeuralAssembly read_brainio_netcdf(const std::string& path, const AssemblySelection& selection) {
  auto file = h5::File::open_read(path);
  const std::string data = find_data_variable(file);
  h5::Shape shape = file.shape(data);
  auto dims = file.dimension_names(data);
  if (dims.size() != shape.size())
    fail("{}: '{}' has no DIMENSION_LIST for its {} axes", path, data, shape.size());
  auto axis_of = [&](const std::string& dim) -> int {
    auto it = std::find(dims.begin(), dims.end(), dim);
    return it == dims.end() ? -1 : static_cast<int>(it - dims.begin());
  };
  const int ax_p = axis_of("presentation"), ax_n = axis_of("neuroid"), ax_t = axis_of("time_bin");
  if (ax_p < 0 || ax_n < 0 || shape.size() != (ax_t < 0 ? 2u : 3u)) {
    fail("{}: expected dimensions presentation x neuroid [x time_bin], got {}", path,
         fmt::join(dims, " x "));
  }
  auto coords = read_coordinates(file, data);
  const std::size_t t_index = ax_t < 0 ? 0
                                       : pick_time_bin(path, coords["time_bin"], shape[ax_t],
                                                       selection.time_bin);
  auto values = file.read_double(data);
  NeuralAssembly a;
  a.source = path;
  const std::size_t np = shape[ax_p], nn = shape[ax_n];
  a.responses.resize(static_cast<Index>(np), static_cast<Index>(nn));
  std::vector<std::size_t> stride(shape.size(), 1);
  for (int i = static_cast<int>(shape.size()) - 2; i >= 0; --i) stride[i] = stride[i + 1] * shape[i + 1];
  const std::size_t t_offset = ax_t < 0 ? 0 : t_index * stride[ax_t];
  for (std::size_t i = 0; i < np; ++i) {
    for (std::size_t j = 0; j < nn; ++j) {
      a.responses(static_cast<Index>(i),
                  static_cast<Index>(j)) = values[i * stride[ax_p] + j * stride[ax_n] + t_offset];
    }
  }
  auto& pc = coords["presentation"];
  auto& nc = coords["neuroid"];
  if (pc.count("stimulus_id")) {
    a.stimulus_id = pc["stimulus_id"];
  } else if (pc.count("image_id")) {
    a.stimulus_id = pc["image_id"];  // legacy BrainIO name
  } else {
    fail("{}: no presentation coordinate 'stimulus_id' (or legacy 'image_id')", path);
  }
  if (pc.count("repetition")) {
    for (const auto& v : pc["repetition"]) a.repetition.push_back(std::stoll(v));
  }
  a.presentation_coords = pc;
  if (nc.count("neuroid_id")) {
    a.neuroid_id = nc["neuroid_id"];
  } else {
    for (std::size_t j = 0; j < nn; ++j) a.neuroid_id.push_back(std::to_string(j));
  }
  a.neuroid_coords = nc;
  select_region(a, selection.region);
  return a;
}

}  // namespace ventral::neural_fit
