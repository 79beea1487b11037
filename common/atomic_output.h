// Writes a result file atomically: callers write to `temp_path()` and call `commit()`,
// which renames it over the final path. If anything throws before that, the
// destructor removes the temporary file, so a failed run never leaves a partial result.
// Ctrl-C (SIGINT), SIGTERM and SIGHUP run no destructors, so every temporary file is also
// registered with a signal handler that removes it and then ends the process with the same
// signal (installed only where the signal still has its default action).
#pragma once

#include <string>
#include <utility>
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
  int signal_slot_ = -1;  ///< where the interrupt handler finds temp_path_ (-1: not registered)
};

/// Writes `text` to `path` atomically.
void write_text_file(const std::string& path, const std::string& text);

/// The whole of a file as bytes; false (and `text` empty) when it cannot be read.
bool read_text_file(const std::string& path, std::string* text);

/// Writes several text files (path, text) all or nothing: every one to its temporary name
/// first, then each renamed; none appears when writing any of them fails.
void write_text_files(const std::vector<std::pair<std::string, std::string>>& files);

/// The CSV written beside a JSON result: "result.json" -> "result.csv" (".csv" appended
/// when there is no .json suffix).
std::string csv_path_for(const std::string& json_path);

/// An output never replaces one of the command's inputs: Error ("--out PATH: is one of the
/// inputs ...") when `output` exists and is the same file (or folder) as one of `inputs`.
void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs);

/// Error when `output` exists and is a device, FIFO or socket: a result is a file (or folder).
void refuse_special_output(const std::string& output);

}  // namespace ventral
