#include "common/atomic_output.h"

#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "common/error.h"

namespace ventral {

AtomicOutput::AtomicOutput(std::string final_path) : final_path_(std::move(final_path)) {
  namespace fs = std::filesystem;
  if (final_path_.empty()) fail("output path is empty");
  fs::path parent = fs::path(final_path_).parent_path();
  if (parent.empty()) parent = ".";
  std::error_code ec;
  if (!fs::is_directory(parent, ec)) {
    fail("{}: cannot write: folder '{}' does not exist", final_path_, parent.string());
  }
  if (fs::is_directory(final_path_, ec)) fail("{}: is a folder, expected a file path", final_path_);
  if (access(parent.c_str(), W_OK) != 0) {
    fail("{}: cannot write: folder '{}' is not writable", final_path_, parent.string());
  }
  temp_path_ = final_path_ + ".tmp." + std::to_string(getpid());
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temp_path_.c_str());
}

void AtomicOutput::commit() {
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    int err = errno;
    std::remove(temp_path_.c_str());
    fail("{}: cannot write: {}", final_path_, std::strerror(err));
  }
  committed_ = true;
}

void write_text_file(const std::string& path, const std::string& text) {
  AtomicOutput out(path);
  {
    std::ofstream stream(out.temp_path(), std::ios::binary);
    stream << text;
    stream.flush();
    if (!stream) fail("{}: cannot write (disk full?)", path);
  }
  out.commit();
}

void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs) {
  std::error_code ec;
  if (!std::filesystem::exists(output, ec)) return;
  for (const auto& input : inputs) {
    if (std::filesystem::equivalent(output, input, ec)) {
      fail("--out {}: is one of the inputs ({}); choose another output file", output, input);
    }
  }
}

}  // namespace ventral
