// Internals shared by h5_file.cpp (open, query, read) and h5_file_write.cpp (create,
// write): the process-wide library lock and an RAII handle. Not for use outside common/.
#pragma once

#include <hdf5.h>

#include <mutex>
#include <string>
#include <vector>

namespace ventral::h5::detail {

/// The lock every entry point of h5::File holds while it calls libhdf5.
std::unique_lock<std::recursive_mutex> hold_library();

/// "a/b/c" -> {"a", "b", "c"} (empty parts dropped).
std::vector<std::string> split_path(const std::string& path);

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

}  // namespace ventral::h5::detail
