#include "common/atomic_output.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <mutex>

#include "common/error.h"

namespace ventral {
namespace {

// Temporary paths the signal handler removes. Fixed storage and lock-free flags, so that the
// handler only reads memory that is never freed and calls only unlink (async-signal-safe).
constexpr int kSignalSlots = 64;
constexpr std::size_t kSignalPathBytes = 4096;
char signal_paths[kSignalSlots][kSignalPathBytes];
std::atomic<bool> signal_claimed[kSignalSlots];
std::atomic<bool> signal_ready[kSignalSlots];

extern "C" void remove_temporaries_and_reraise(int sig) {
  for (int i = 0; i < kSignalSlots; ++i) {
    if (signal_ready[i].load()) unlink(signal_paths[i]);
  }
  signal(sig, SIG_DFL);
  raise(sig);
}

void install_signal_handlers() {
  static std::once_flag once;
  std::call_once(once, [] {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) {
      struct sigaction current {};
      sigaction(sig, nullptr, &current);
      if (current.sa_handler != SIG_DFL) continue;  // ignored, or handled by someone else
      struct sigaction action {};
      action.sa_handler = remove_temporaries_and_reraise;
      sigemptyset(&action.sa_mask);
      sigaction(sig, &action, nullptr);
    }
  });
}

// -1 when the path is too long or more than kSignalSlots outputs are open at once: such a
// file is still removed on errors, only not on a signal.
int register_temporary(const std::string& path) {
  install_signal_handlers();
  if (path.size() >= kSignalPathBytes) return -1;
  for (int i = 0; i < kSignalSlots; ++i) {
    bool expected = false;
    if (signal_claimed[i].compare_exchange_strong(expected, true)) {
      std::memcpy(signal_paths[i], path.c_str(), path.size() + 1);
      signal_ready[i].store(true);
      return i;
    }
  }
  return -1;
}

void unregister_temporary(int slot) {
  if (slot < 0) return;
  signal_ready[slot].store(false);
  signal_claimed[slot].store(false);
}

}  // namespace

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
  signal_slot_ = register_temporary(temp_path_);
}

AtomicOutput::~AtomicOutput() {
  if (!committed_) std::remove(temp_path_.c_str());
  unregister_temporary(signal_slot_);
}

void AtomicOutput::commit() {
  if (std::rename(temp_path_.c_str(), final_path_.c_str()) != 0) {
    int err = errno;
    std::remove(temp_path_.c_str());
    fail("{}: cannot write: {}", final_path_, std::strerror(err));
  }
  committed_ = true;
  unregister_temporary(signal_slot_);
  signal_slot_ = -1;
}

bool read_text_file(const std::string& path, std::string* text) {
  text->clear();
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  text->assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
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

void write_text_files(const std::vector<std::pair<std::string, std::string>>& files) {
  std::vector<std::unique_ptr<AtomicOutput>> outputs;
  for (const auto& [path, text] : files) {
    outputs.push_back(std::make_unique<AtomicOutput>(path));
    std::ofstream stream(outputs.back()->temp_path(), std::ios::binary);
    stream << text;
    stream.flush();
    if (!stream) fail("{}: cannot write (disk full?)", path);
  }
  for (auto& output : outputs) output->commit();
}

std::string csv_path_for(const std::string& json_path) {
  const std::string suffix = ".json";
  if (json_path.size() > suffix.size() &&
      json_path.compare(json_path.size() - suffix.size(), suffix.size(), suffix) == 0) {
    return json_path.substr(0, json_path.size() - suffix.size()) + ".csv";
  }
  return json_path + ".csv";
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

void refuse_special_output(const std::string& output) {
  std::error_code ec;
  const auto status = std::filesystem::status(output, ec);
  if (ec) return;
  using std::filesystem::file_type;
  const auto type = status.type();
  if (type == file_type::character || type == file_type::block || type == file_type::fifo ||
      type == file_type::socket)
    fail("--out {}: a device, FIFO or socket; expected a file path to write the result to", output);
}

}  // namespace ventral
