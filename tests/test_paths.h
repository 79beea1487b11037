// Paths shared by the Catch2 tests.
#pragma once

#include <filesystem>
#include <string>

namespace ventral::testing {

/// A file name in the system temp folder, prefixed so that tests do not collide.
inline std::string temp_path(const std::string& name) {
  return (std::filesystem::temp_directory_path() / ("ventral_test_" + name)).string();
}

/// A file shipped in the repository's data/ folder.
inline std::string data_path(const std::string& relative) {
  return std::string(VENTRAL_SOURCE_DIR) + "/data/" + relative;
}

}  // namespace ventral::testing
