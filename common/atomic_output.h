// Writes a result file atomically: callers write to `temp_path()` and call `commit()`,
// which renames it over the final path. If anything throws before that, the
// destructor removes the temporary file, so a failed run never leaves a partial result.
#pragma once

#include <string>
#include <vector>

namespace ventral {

class AtomicOutput {
 public:
  /// Checks that the folder of `final_path` exists and is writable (throws Error otherwise).
  explicit AtomicOutput(std::string final_path);
  AtomicOutput(const AtomicOutput&) = delete;
  AtomicOutput& operator=(const AtomicOutput&) = delete;
  ~AtomicOutput();

  const std::string& temp_path() const { return temp_path_; }
  const std::string& final_path() const { return final_path_; }
  /// Renames the temporary file to the final path.
  void commit();

 private:
  std::string final_path_;
  std::string temp_path_;
  bool committed_ = false;
};

/// Writes `text` to `path` atomically.
void write_text_file(const std::string& path, const std::string& text);

/// An output never replaces one of the command's inputs: Error ("--out PATH: is one of the
/// inputs ...") when `output` exists and is the same file (or folder) as one of `inputs`.
void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs);

}  // namespace ventral
