#include "common/h5_file.h"

#include "common/h5_detail.h"

#include <algorithm>
#include <cstring>
#include <fstream>
#include <functional>
#include <mutex>
#include <numeric>

#include "common/error.h"

namespace ventral::h5 {
namespace detail {

std::unique_lock<std::recursive_mutex> hold_library() {
  static std::recursive_mutex mutex;  // recursive: entry points call one another
  std::unique_lock<std::recursive_mutex> lock(mutex);
  // HDF5 prints its error stack to stderr unless told not to, and the setting is per thread
  // (a data-loader or scoring worker has its own); ventral reports one line itself.
  thread_local const bool silenced = H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr) >= 0;
  (void)silenced;
  return lock;
}

std::vector<std::string> split_path(const std::string& path) {
  std::vector<std::string> parts;
  std::string current;
  for (char c : path) {
    if (c == '/') {
      if (!current.empty()) parts.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  if (!current.empty()) parts.push_back(current);
  return parts;
}

}  // namespace detail
namespace {

using detail::Handle;
using detail::hold_library;
using detail::split_path;

// HDF5 prints its error stack to stderr by default; ventral reports one line itself.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5& silence() {
  static SilenceHdf5 instance;
  return instance;
}

// H5Lexists fails on a missing intermediate group, so walk the path one link at a time.
bool link_exists(hid_t file, const std::string& path) {
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix += "/" + part;
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

Shape dataset_shape(hid_t dataset) {
  Handle space(H5Dget_space(dataset), H5Sclose);
  int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(std::max(rank, 0)));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
}

template <typename T>
std::vector<T> read_numeric(const File& file, hid_t file_id, const std::string& name, hid_t mem_type,
                            Shape* shape_out) {
  const auto lock = hold_library();
  if (!file.is_dataset(name)) fail("{}: no dataset '{}'", file.path(), name);
  Handle dataset(H5Dopen2(file_id, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    fail("{}: dataset '{}' is not numeric", file.path(), name);
  }
  Shape shape = dataset_shape(dataset.get());
  std::vector<T> values(element_count(shape));
  if (!values.empty() &&
      H5Dread(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    fail("{}: cannot read dataset '{}'", file.path(), name);
  }
  if (shape_out) *shape_out = shape;
  return values;
}

std::string base_name(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::size_t element_count(const Shape& shape) {
  return std::accumulate(shape.begin(), shape.end(), std::size_t{1}, std::multiplies<>());
}

std::string shape_string(const Shape& shape) {
  if (shape.empty()) return "scalar";
  std::string s;
  for (std::size_t i = 0; i < shape.size(); ++i) s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

bool is_hdf5_file(const std::string& path) {
  const auto lock = hold_library();
  silence();
  return H5Fis_hdf5(path.c_str()) > 0;
}

File File::open_read(const std::string& path) {
  const auto lock = hold_library();
  silence();
  std::ifstream probe(path);
  if (!probe) fail("{}: cannot open file (missing or unreadable)", path);
  if (!is_hdf5_file(path)) fail("{}: not an HDF5 file", path);
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) fail("{}: cannot open as HDF5", path);
  return File(id, path);
}

File File::create(const std::string& path) {
  const auto lock = hold_library();
  silence();
  hid_t id = H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT);
  if (id < 0) fail("{}: cannot create file (is the folder writable?)", path);
  return File(id, path);
}

File::File(File&& other) noexcept : id_(other.id_), path_(std::move(other.path_)) { other.id_ = -1; }

File& File::operator=(File&& other) noexcept {
  if (this != &other) {
    close();
    id_ = other.id_;
    path_ = std::move(other.path_);
    other.id_ = -1;
  }
  return *this;
}

File::~File() { close(); }

void File::close() noexcept {
  const auto lock = hold_library();
  if (id_ >= 0) H5Fclose(id_);
  id_ = -1;
}

bool File::exists(const std::string& name) const {
  const auto lock = hold_library();
  if (name.empty() || name == "/") return true;
  return link_exists(id_, name);
}

bool File::is_group(const std::string& name) const {
  const auto lock = hold_library();
  if (!exists(name)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(id_, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

bool File::is_dataset(const std::string& name) const {
  const auto lock = hold_library();
  if (!exists(name)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(id_, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_DATASET;
}

std::vector<std::string> File::list(const std::string& group) const {
  const auto lock = hold_library();
  if (!is_group(group)) fail("{}: no group '{}'", path_, group);
  Handle g(H5Gopen2(id_, group.c_str(), H5P_DEFAULT), H5Gclose);
  H5G_info_t info;
  H5Gget_info(g.get(), &info);
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t size = H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, nullptr, 0,
                                      H5P_DEFAULT);
    std::string name(static_cast<std::size_t>(size), '\0');
    H5Lget_name_by_idx(g.get(), ".", H5_INDEX_NAME, H5_ITER_INC, i, name.data(), size + 1, H5P_DEFAULT);
    names.push_back(name);
  }
  return names;
}

std::vector<std::string> File::list_datasets(const std::string& group) const {
  const auto lock = hold_library();
  std::vector<std::string> out;
  std::string prefix = (group == "/" || group.empty()) ? "" : group + "/";
  for (const auto& child : list(group.empty() ? "/" : group)) {
    std::string full = prefix + child;
    if (is_dataset(full)) {
      out.push_back(full);
    } else if (is_group(full)) {
      auto nested = list_datasets(full);
      out.insert(out.end(), nested.begin(), nested.end());
    }
  }
  return out;
}

Shape File::shape(const std::string& name) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) fail("{}: no dataset '{}'", path_, name);
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  return dataset_shape(dataset.get());
}

bool File::is_string(const std::string& name) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) return false;
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

std::vector<float> File::read_float(const std::string& name, Shape* shape) const {
  return read_numeric<float>(*this, id_, name, H5T_NATIVE_FLOAT, shape);
}
std::vector<double> File::read_double(const std::string& name, Shape* shape) const {
  return read_numeric<double>(*this, id_, name, H5T_NATIVE_DOUBLE, shape);
}
std::vector<std::int64_t> File::read_int64(const std::string& name, Shape* shape) const {
  return read_numeric<std::int64_t>(*this, id_, name, H5T_NATIVE_INT64, shape);
}
std::vector<std::uint8_t> File::read_uint8(const std::string& name, Shape* shape) const {
  return read_numeric<std::uint8_t>(*this, id_, name, H5T_NATIVE_UINT8, shape);
}

std::vector<float> File::read_float_rows(const std::string& name, std::size_t row_begin,
                                         std::size_t row_end) const {
  const auto lock = hold_library();
  Shape rows = shape(name);
  if (!rows.empty() && row_begin <= row_end && row_end <= rows[0]) rows[0] = row_end - row_begin;
  std::vector<float> values(element_count(rows));
  read_rows(name, row_begin, row_end, H5T_NATIVE_FLOAT, values.data());
  return values;
}

void File::read_uint8_rows(const std::string& name, std::size_t row_begin, std::size_t row_end,
                           std::uint8_t* out) const {
  read_rows(name, row_begin, row_end, H5T_NATIVE_UINT8, out);
}

void File::read_rows(const std::string& name, std::size_t row_begin, std::size_t row_end,
                     std::int64_t memory_type, void* out) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) fail("{}: no dataset '{}'", path_, name);
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  const Shape full = dataset_shape(dataset.get());
  if (full.empty() || row_end > full[0] || row_begin > row_end) {
    fail("{}: rows {}..{} out of range for dataset '{}' ({})", path_, row_begin, row_end, name,
         shape_string(full));
  }
  Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
  std::vector<hsize_t> start(full.size(), 0), count(full.begin(), full.end());
  start[0] = row_begin;
  count[0] = row_end - row_begin;
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  Handle mem_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
  if (count[0] > 0 &&
      H5Dread(dataset.get(), memory_type, mem_space.get(), file_space.get(), H5P_DEFAULT, out) < 0) {
    fail("{}: cannot read rows {}..{} of dataset '{}' (file damaged?)", path_, row_begin, row_end, name);
  }
}

bool File::is_uint8(const std::string& name) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) return false;
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_INTEGER && H5Tget_size(type.get()) == 1 &&
         H5Tget_sign(type.get()) == H5T_SGN_NONE;
}

std::vector<std::string> File::dimension_names(const std::string& name) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) return {};
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  if (H5Aexists(dataset.get(), "DIMENSION_LIST") <= 0) return {};
  // DIMENSION_LIST (HDF5 dimension scales): per axis, a variable-length list of object
  // references to the scale datasets; netCDF-4 stores one per axis.
  Handle attr(H5Aopen(dataset.get(), "DIMENSION_LIST", H5P_DEFAULT), H5Aclose);
  Handle space(H5Aget_space(attr.get()), H5Sclose);
  const hssize_t n = H5Sget_simple_extent_npoints(space.get());
  Handle list_type(H5Tvlen_create(H5T_STD_REF_OBJ), H5Tclose);
  std::vector<hvl_t> lists(static_cast<std::size_t>(std::max<hssize_t>(n, 0)));
  std::vector<std::string> names;
  if (n <= 0 || H5Aread(attr.get(), list_type.get(), lists.data()) < 0) return names;
  for (const auto& entry : lists) {
    std::string dimension;
    if (entry.len >= 1) {
      hobj_ref_t ref = static_cast<hobj_ref_t*>(entry.p)[0];
      Handle scale(H5Rdereference2(dataset.get(), H5P_DEFAULT, H5R_OBJECT, &ref), H5Oclose);
      if (scale.valid()) {
        char buffer[1024] = {0};
        H5Iget_name(scale.get(), buffer, sizeof(buffer));
        dimension = base_name(buffer);
      }
    }
    names.push_back(dimension);
  }
  H5Dvlen_reclaim(list_type.get(), space.get(), H5P_DEFAULT, lists.data());
  return names;
}

std::vector<std::string> File::read_strings(const std::string& name, Shape* shape_out) const {
  const auto lock = hold_library();
  if (!is_dataset(name)) fail("{}: no dataset '{}'", path_, name);
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) fail("{}: dataset '{}' is not text", path_, name);
  Shape dims = shape(name);
  std::size_t count = element_count(dims);
  std::vector<std::string> out;
  out.reserve(count);
  if (H5Tis_variable_str(type.get()) > 0) {
    Handle mem_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem_type.get(), H5T_VARIABLE);
    H5Tset_cset(mem_type.get(), H5Tget_cset(type.get()));
    std::vector<char*> buffer(count, nullptr);
    if (count > 0 &&
        H5Dread(dataset.get(), mem_type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0) {
      fail("{}: cannot read strings '{}'", path_, name);
    }
    for (char* s : buffer) out.emplace_back(s ? s : "");
    Handle space(H5Dget_space(dataset.get()), H5Sclose);
    if (count > 0) H5Dvlen_reclaim(mem_type.get(), space.get(), H5P_DEFAULT, buffer.data());
  } else {
    std::size_t width = H5Tget_size(type.get());
    std::vector<char> buffer(count * width);
    if (count > 0 &&
        H5Dread(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, buffer.data()) < 0) {
      fail("{}: cannot read strings '{}'", path_, name);
    }
    for (std::size_t i = 0; i < count; ++i) {
      const char* begin = buffer.data() + i * width;
      out.emplace_back(begin, strnlen(begin, width));
    }
  }
  if (shape_out) *shape_out = dims;
  return out;
}

bool File::has_attribute(const std::string& name, const std::string& object) const {
  const auto lock = hold_library();
  return exists(object) && H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::string File::read_attribute(const std::string& name, const std::string& object) const {
  const auto lock = hold_library();
  if (!has_attribute(name, object)) fail("{}: no attribute '{}' on '{}'", path_, name, object);
  Handle attr(H5Aopen_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT, H5P_DEFAULT), H5Aclose);
  Handle type(H5Aget_type(attr.get()), H5Tclose);
  if (H5Tget_class(type.get()) != H5T_STRING) fail("{}: attribute '{}' is not text", path_, name);
  if (H5Tis_variable_str(type.get()) > 0) {
    char* value = nullptr;
    Handle mem_type(H5Tcopy(H5T_C_S1), H5Tclose);
    H5Tset_size(mem_type.get(), H5T_VARIABLE);
    // HDF5 does not convert between ASCII and UTF-8: read in the attribute's own charset.
    H5Tset_cset(mem_type.get(), H5Tget_cset(type.get()));
    if (H5Aread(attr.get(), mem_type.get(), &value) < 0)
      fail("{}: cannot read attribute '{}'", path_, name);
    std::string out = value ? value : "";
    H5free_memory(value);
    return out;
  }
  std::size_t width = H5Tget_size(type.get());
  std::vector<char> buffer(width + 1, '\0');
  H5Aread(attr.get(), type.get(), buffer.data());
  return std::string(buffer.data(), strnlen(buffer.data(), width));
}

}  // namespace ventral::h5
