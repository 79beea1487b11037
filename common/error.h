// ventral's error types: what the CLI turns into one line on stderr and an exit code.
//
// `Error` is a problem the user can fix (a bad flag, a missing or malformed file, a
// wrong shape): exit code 2. Anything else that escapes (std::runtime_error, a
// LibTorch c10::Error) is a runtime failure: exit code 1.
#pragma once

#include <stdexcept>
#include <string>

#include <fmt/format.h>

namespace ventral {

/// A user-caused error. The message names the file, flag or value and what was expected.
class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& message) : std::runtime_error(message) {}
};

/// Throws `Error` with a fmt-formatted message.
template <typename... Args>
[[noreturn]] void fail(fmt::format_string<Args...> format, Args&&... args) {
  throw Error(fmt::format(format, std::forward<Args>(args)...));
}

}  // namespace ventral
