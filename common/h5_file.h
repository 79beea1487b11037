// A small RAII wrapper over the HDF5 C API: the only place ventral talks to libhdf5.
// libhdf5 as Debian builds it is not thread-safe, so every member and function here holds
// one process-wide lock while it calls the library: data-loader workers, feature writers
// and readers may share files across threads without a lock of their own.
//
// Datasets are addressed by slash paths ("c1/3", "patches/8"); writing creates the
// intermediate groups. Reads convert any stored numeric type to the requested one,
// so files written by h5py, xarray/netCDF4 or ventral read alike. Every failure
// throws ventral::Error naming the file and the dataset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace ventral::h5 {

using Shape = std::vector<std::size_t>;

/// Number of elements of a shape (1 for a scalar).
std::size_t element_count(const Shape& shape);
/// "3x4x5" for messages.
std::string shape_string(const Shape& shape);

class File {
 public:
  /// Opens an existing file read-only. Throws if it is missing or not HDF5.
  static File open_read(const std::string& path);
  /// Creates (truncates) a file for writing.
  static File create(const std::string& path);

  File(File&& other) noexcept;
  File& operator=(File&& other) noexcept;
  File(const File&) = delete;
  File& operator=(const File&) = delete;
  ~File();

  const std::string& path() const { return path_; }
  /// Flushes and closes the file (also done by the destructor); later calls are no-ops.
  void close() noexcept;
  bool exists(const std::string& name) const;
  bool is_group(const std::string& name) const;
  bool is_dataset(const std::string& name) const;
  /// Names of the direct children of a group, in HDF5's (alphabetical) order.
  std::vector<std::string> list(const std::string& group) const;
  /// Paths of every dataset below a group, depth first ("c1/0", "c1/1", "c2").
  std::vector<std::string> list_datasets(const std::string& group = "/") const;

  Shape shape(const std::string& dataset) const;
  bool is_string(const std::string& dataset) const;
  /// True for an unsigned 8-bit integer dataset (packed images).
  bool is_uint8(const std::string& dataset) const;
  /// netCDF-4 dimension names of a variable, one per axis, from its DIMENSION_LIST
  /// attribute (the dimension-scale datasets' names); empty when it has none.
  std::vector<std::string> dimension_names(const std::string& dataset) const;

  std::vector<float> read_float(const std::string& dataset, Shape* shape = nullptr) const;
  std::vector<double> read_double(const std::string& dataset, Shape* shape = nullptr) const;
  std::vector<std::int64_t> read_int64(const std::string& dataset, Shape* shape = nullptr) const;
  std::vector<std::uint8_t> read_uint8(const std::string& dataset, Shape* shape = nullptr) const;
  /// Variable- or fixed-length strings (ASCII or UTF-8), any rank, flattened.
  std::vector<std::string> read_strings(const std::string& dataset, Shape* shape = nullptr) const;

  /// Reads rows [row_begin, row_end) along the first axis as float.
  std::vector<float> read_float_rows(const std::string& dataset, std::size_t row_begin,
                                     std::size_t row_end) const;
  /// Reads rows [row_begin, row_end) along the first axis as uint8 into `out`, which holds
  /// (row_end - row_begin) * (product of the other dimensions) values.
  void read_uint8_rows(const std::string& dataset, std::size_t row_begin, std::size_t row_end,
                       std::uint8_t* out) const;

  void write_float(const std::string& dataset, const Shape& shape, const float* data);
  void write_double(const std::string& dataset, const Shape& shape, const double* data);
  void write_int64(const std::string& dataset, const Shape& shape, const std::int64_t* data);
  void write_uint8(const std::string& dataset, const Shape& shape, const std::uint8_t* data);
  /// Creates a float32 (uint8) dataset of `shape` to be filled row block by row block.
  void create_float(const std::string& dataset, const Shape& shape);
  void create_uint8(const std::string& dataset, const Shape& shape);
  /// Writes rows [row_begin, row_begin + rows) along the first axis of a dataset made by
  /// create_float (create_uint8); `data` holds rows * (product of the other dimensions) values.
  void write_float_rows(const std::string& dataset, std::size_t row_begin, std::size_t rows,
                        const float* data);
  void write_uint8_rows(const std::string& dataset, std::size_t row_begin, std::size_t rows,
                        const std::uint8_t* data);

  /// Variable-length UTF-8 strings, one-dimensional.
  void write_strings(const std::string& dataset, const std::vector<std::string>& values);

  /// A string attribute on the root group (or on `object` when given).
  void write_attribute(const std::string& name, const std::string& value,
                       const std::string& object = "/");
  std::string read_attribute(const std::string& name, const std::string& object = "/") const;
  bool has_attribute(const std::string& name, const std::string& object = "/") const;

 private:
  File(std::int64_t id, std::string path) : id_(id), path_(std::move(path)) {}
  // Shared by the typed create_* / write_*_rows (HDF5 type ids are int64 in 1.10).
  void create_rows(const std::string& dataset, const Shape& shape, std::int64_t file_type);
  void write_rows(const std::string& dataset, std::size_t row_begin, std::size_t rows,
                  std::int64_t memory_type, const void* data);
  void read_rows(const std::string& dataset, std::size_t row_begin, std::size_t row_end,
                 std::int64_t memory_type, void* out) const;

  std::int64_t id_ = -1;
  std::string path_;
};

/// True when the file starts with the HDF5 signature (also true for netCDF-4).
bool is_hdf5_file(const std::string& path);

}  // namespace ventral::h5
