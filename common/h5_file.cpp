#include "common/h5_file.h"

#include <hdf5.h>

#include <cstring>
#include <fstream>
#include <functional>
#include <numeric>

#include "common/error.h"

namespace ventral::h5 {
namespace {

// HDF5 prints its error stack to stderr by default; ventral reports one line itself.
struct SilenceHdf5 {
  SilenceHdf5() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }
};
const SilenceHdf5& silence() {
  static SilenceHdf5 instance;
  return instance;
}

// Closes an hid_t with the matching H5*close when it leaves scope.
class Handle {
 public:
  Handle(hid_t id, herr_t (*closer)(hid_t)) : id_(id), closer_(closer) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() {
    if (id_ >= 0) closer_(id_);
  }
  hid_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }

 private:
  hid_t id_;
  herr_t (*closer_)(hid_t);
};

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

// H5Lexists fails on a missing intermediate group, so walk the path one link at a time.
bool link_exists(hid_t file, const std::string& path) {
  std::string prefix;
  for (const auto& part : split_path(path)) {
    prefix += "/" + part;
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) <= 0) return false;
  }
  return true;
}

void ensure_parent_groups(hid_t file, const std::string& path) {
  auto parts = split_path(path);
  std::string prefix;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    prefix += "/" + parts[i];
    if (H5Lexists(file, prefix.c_str(), H5P_DEFAULT) > 0) continue;
    hid_t group = H5Gcreate2(file, prefix.c_str(), H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT);
    if (group < 0) throw Error(fmt::format("cannot create group '{}'", prefix));
    H5Gclose(group);
  }
}

template <typename T>
std::vector<T> read_numeric(const File& file, const std::string& name, hid_t mem_type,
                            Shape* shape_out) {
  if (!file.is_dataset(name)) fail("{}: no dataset '{}'", file.path(), name);
  Handle dataset(H5Dopen2(file.id(), name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_INTEGER && type_class != H5T_FLOAT) {
    fail("{}: dataset '{}' is not numeric", file.path(), name);
  }
  Shape shape = file.shape(name);
  std::vector<T> values(element_count(shape));
  if (!values.empty() &&
      H5Dread(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data()) < 0) {
    fail("{}: cannot read dataset '{}'", file.path(), name);
  }
  if (shape_out) *shape_out = shape;
  return values;
}

template <typename T>
void write_numeric(hid_t file_id, const std::string& file_path, const std::string& name,
                   const Shape& shape, const T* data, hid_t mem_type, hid_t file_type) {
  ensure_parent_groups(file_id, name);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle dataset(H5Dcreate2(file_id, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.valid()) fail("{}: cannot create dataset '{}'", file_path, name);
  if (element_count(shape) > 0 &&
      H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail("{}: cannot write dataset '{}' (disk full?)", file_path, name);
  }
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
  silence();
  return H5Fis_hdf5(path.c_str()) > 0;
}

File File::open_read(const std::string& path) {
  silence();
  std::ifstream probe(path);
  if (!probe) fail("{}: cannot open file (missing or unreadable)", path);
  if (!is_hdf5_file(path)) fail("{}: not an HDF5 file", path);
  hid_t id = H5Fopen(path.c_str(), H5F_ACC_RDONLY, H5P_DEFAULT);
  if (id < 0) fail("{}: cannot open as HDF5", path);
  return File(id, path);
}

File File::create(const std::string& path) {
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
  if (id_ >= 0) H5Fclose(id_);
  id_ = -1;
}

bool File::exists(const std::string& name) const {
  if (name.empty() || name == "/") return true;
  return link_exists(id_, name);
}

bool File::is_group(const std::string& name) const {
  if (!exists(name)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(id_, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_GROUP;
}

bool File::is_dataset(const std::string& name) const {
  if (!exists(name)) return false;
  H5O_info_t info;
  if (H5Oget_info_by_name2(id_, name.c_str(), &info, H5O_INFO_BASIC, H5P_DEFAULT) < 0) return false;
  return info.type == H5O_TYPE_DATASET;
}

std::vector<std::string> File::list(const std::string& group) const {
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
  if (!is_dataset(name)) fail("{}: no dataset '{}'", path_, name);
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle space(H5Dget_space(dataset.get()), H5Sclose);
  int rank = H5Sget_simple_extent_ndims(space.get());
  std::vector<hsize_t> dims(static_cast<std::size_t>(rank));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return Shape(dims.begin(), dims.end());
}

bool File::is_string(const std::string& name) const {
  if (!is_dataset(name)) return false;
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle type(H5Dget_type(dataset.get()), H5Tclose);
  return H5Tget_class(type.get()) == H5T_STRING;
}

std::vector<float> File::read_float(const std::string& name, Shape* shape) const {
  return read_numeric<float>(*this, name, H5T_NATIVE_FLOAT, shape);
}
std::vector<double> File::read_double(const std::string& name, Shape* shape) const {
  return read_numeric<double>(*this, name, H5T_NATIVE_DOUBLE, shape);
}
std::vector<std::int64_t> File::read_int64(const std::string& name, Shape* shape) const {
  return read_numeric<std::int64_t>(*this, name, H5T_NATIVE_INT64, shape);
}
std::vector<std::uint8_t> File::read_uint8(const std::string& name, Shape* shape) const {
  return read_numeric<std::uint8_t>(*this, name, H5T_NATIVE_UINT8, shape);
}

std::vector<float> File::read_float_rows(const std::string& name, std::size_t row_begin,
                                         std::size_t row_end) const {
  Shape full = shape(name);
  if (full.empty() || row_end > full[0] || row_begin > row_end) {
    fail("{}: rows {}..{} out of range for dataset '{}' ({})", path_, row_begin, row_end, name,
         shape_string(full));
  }
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
  std::vector<hsize_t> start(full.size(), 0), count(full.begin(), full.end());
  start[0] = row_begin;
  count[0] = row_end - row_begin;
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  Handle mem_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
  std::vector<float> values(element_count(Shape(count.begin(), count.end())));
  if (!values.empty() && H5Dread(dataset.get(), H5T_NATIVE_FLOAT, mem_space.get(), file_space.get(),
                                 H5P_DEFAULT, values.data()) < 0) {
    fail("{}: cannot read rows of dataset '{}'", path_, name);
  }
  return values;
}

std::vector<std::string> File::read_strings(const std::string& name, Shape* shape_out) const {
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

void File::write_float(const std::string& name, const Shape& shape, const float* data) {
  write_numeric(id_, path_, name, shape, data, H5T_NATIVE_FLOAT, H5T_IEEE_F32LE);
}
void File::write_double(const std::string& name, const Shape& shape, const double* data) {
  write_numeric(id_, path_, name, shape, data, H5T_NATIVE_DOUBLE, H5T_IEEE_F64LE);
}
void File::write_int64(const std::string& name, const Shape& shape, const std::int64_t* data) {
  write_numeric(id_, path_, name, shape, data, H5T_NATIVE_INT64, H5T_STD_I64LE);
}
void File::write_uint8(const std::string& name, const Shape& shape, const std::uint8_t* data) {
  write_numeric(id_, path_, name, shape, data, H5T_NATIVE_UINT8, H5T_STD_U8LE);
}

void File::create_rows(const std::string& name, const Shape& shape, std::int64_t file_type) {
  ensure_parent_groups(id_, name);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  Handle dataset(H5Dcreate2(id_, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.valid()) fail("{}: cannot create dataset '{}'", path_, name);
}

void File::create_float(const std::string& name, const Shape& shape) {
  create_rows(name, shape, H5T_IEEE_F32LE);
}

void File::create_uint8(const std::string& name, const Shape& shape) {
  create_rows(name, shape, H5T_STD_U8LE);
}

void File::write_rows(const std::string& name, std::size_t row_begin, std::size_t rows,
                      std::int64_t memory_type, const void* data) {
  Shape full = shape(name);
  if (full.empty() || row_begin + rows > full[0]) {
    fail("{}: rows {}..{} out of range for dataset '{}' ({})", path_, row_begin, row_begin + rows, name,
         shape_string(full));
  }
  Handle dataset(H5Dopen2(id_, name.c_str(), H5P_DEFAULT), H5Dclose);
  Handle file_space(H5Dget_space(dataset.get()), H5Sclose);
  std::vector<hsize_t> start(full.size(), 0), count(full.begin(), full.end());
  start[0] = row_begin;
  count[0] = rows;
  H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, start.data(), nullptr, count.data(), nullptr);
  Handle mem_space(H5Screate_simple(static_cast<int>(count.size()), count.data(), nullptr), H5Sclose);
  if (rows > 0 &&
      H5Dwrite(dataset.get(), memory_type, mem_space.get(), file_space.get(), H5P_DEFAULT, data) < 0) {
    fail("{}: cannot write rows {}..{} of dataset '{}' (disk full?)", path_, row_begin, row_begin + rows,
         name);
  }
}

void File::write_float_rows(const std::string& name, std::size_t row_begin, std::size_t rows,
                            const float* data) {
  write_rows(name, row_begin, rows, H5T_NATIVE_FLOAT, data);
}

void File::write_uint8_rows(const std::string& name, std::size_t row_begin, std::size_t rows,
                            const std::uint8_t* data) {
  write_rows(name, row_begin, rows, H5T_NATIVE_UINT8, data);
}

void File::write_strings(const std::string& name, const std::vector<std::string>& values) {
  ensure_parent_groups(id_, name);
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  hsize_t count = values.size();
  Handle space(H5Screate_simple(1, &count, nullptr), H5Sclose);
  Handle dataset(H5Dcreate2(id_, name.c_str(), type.get(), space.get(), H5P_DEFAULT, H5P_DEFAULT,
                            H5P_DEFAULT),
                 H5Dclose);
  if (!dataset.valid()) fail("{}: cannot create dataset '{}'", path_, name);
  std::vector<const char*> pointers;
  for (const auto& v : values) pointers.push_back(v.c_str());
  if (count > 0 &&
      H5Dwrite(dataset.get(), type.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, pointers.data()) < 0) {
    fail("{}: cannot write dataset '{}'", path_, name);
  }
}

void File::write_attribute(const std::string& name, const std::string& value,
                           const std::string& object) {
  Handle type(H5Tcopy(H5T_C_S1), H5Tclose);
  H5Tset_size(type.get(), H5T_VARIABLE);
  H5Tset_cset(type.get(), H5T_CSET_UTF8);
  Handle space(H5Screate(H5S_SCALAR), H5Sclose);
  if (H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0) {
    H5Adelete_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT);
  }
  Handle attr(H5Acreate_by_name(id_, object.c_str(), name.c_str(), type.get(), space.get(), H5P_DEFAULT,
                                H5P_DEFAULT, H5P_DEFAULT),
              H5Aclose);
  if (!attr.valid()) fail("{}: cannot write attribute '{}'", path_, name);
  const char* pointer = value.c_str();
  H5Awrite(attr.get(), type.get(), &pointer);
}

bool File::has_attribute(const std::string& name, const std::string& object) const {
  return exists(object) && H5Aexists_by_name(id_, object.c_str(), name.c_str(), H5P_DEFAULT) > 0;
}

std::string File::read_attribute(const std::string& name, const std::string& object) const {
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
