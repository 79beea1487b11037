// The writing half of h5::File (h5_file.h): datasets, row blocks, strings, attributes.
#include <fmt/format.h>

#include <string>
#include <vector>

#include "common/error.h"
#include "common/h5_detail.h"
#include "common/h5_file.h"

namespace ventral::h5 {
namespace {

using detail::Handle;
using detail::hold_library;
using detail::split_path;

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

// Creates dataset `name` (and its parent groups) of `shape` stored as `file_type`; returns
// the open dataset for the caller to close.
hid_t create_dataset(hid_t file_id, const std::string& file_path, const std::string& name,
                     const Shape& shape, hid_t file_type) {
  ensure_parent_groups(file_id, name);
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  Handle space(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), H5Sclose);
  hid_t dataset = H5Dcreate2(file_id, name.c_str(), file_type, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                             H5P_DEFAULT);
  if (dataset < 0) fail("{}: cannot create dataset '{}'", file_path, name);
  return dataset;
}

template <typename T>
void write_numeric(hid_t file_id, const std::string& file_path, const std::string& name,
                   const Shape& shape, const T* data, hid_t mem_type, hid_t file_type) {
  const auto lock = hold_library();
  Handle dataset(create_dataset(file_id, file_path, name, shape, file_type), H5Dclose);
  if (element_count(shape) > 0 &&
      H5Dwrite(dataset.get(), mem_type, H5S_ALL, H5S_ALL, H5P_DEFAULT, data) < 0) {
    fail("{}: cannot write dataset '{}' (disk full?)", file_path, name);
  }
}

}  // namespace

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
  const auto lock = hold_library();
  Handle dataset(create_dataset(id_, path_, name, shape, file_type), H5Dclose);
}

void File::create_float(const std::string& name, const Shape& shape) {
  create_rows(name, shape, H5T_IEEE_F32LE);
}

void File::create_uint8(const std::string& name, const Shape& shape) {
  create_rows(name, shape, H5T_STD_U8LE);
}

void File::write_rows(const std::string& name, std::size_t row_begin, std::size_t rows,
                      std::int64_t memory_type, const void* data) {
  const auto lock = hold_library();
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
  const auto lock = hold_library();
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
  const auto lock = hold_library();
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

}  // namespace ventral::h5
