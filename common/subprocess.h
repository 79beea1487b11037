// Child processes for commands that drive other programs (`ventral ablate` runs `ventral
// train` and `ventral score`, gnuplot and sbatch): argv vectors, no shell, so no quoting.
#pragma once

#include <sys/types.h>

#include <string>
#include <vector>

namespace ventral {

struct ProcessOptions {
  std::vector<std::string> argv;  ///< argv[0] is the program (a path, or a name looked up in PATH)
  std::string output;             ///< append stdout and stderr to this file; empty: inherit
};

/// Starts the process. Throws Error naming the program when it cannot be started.
pid_t start_process(const ProcessOptions& options);

/// Waits for `pid`: its exit code, or 128 + the signal that ended it.
int wait_process(pid_t pid);

/// Waits for any child started by start_process: {pid, exit code as wait_process}; {-1, 0}
/// when there is none.
std::pair<pid_t, int> wait_any_process();

/// Runs the process to its end; stderr passes through to ours (or to `output`) and its last
/// non-empty line is kept in `last_error_line` (the one-line error of a ventral command).
int run_process(const ProcessOptions& options, std::string* last_error_line = nullptr);

/// Runs the process and returns its stdout; stderr passes through. `exit_code` receives the
/// exit code.
std::string capture_process(const std::vector<std::string>& argv, int* exit_code);

/// The running executable's path (/proc/self/exe), for starting ventral itself.
std::string self_executable();

/// Whether `program` is found in PATH (or is an executable path).
bool program_available(const std::string& program);

}  // namespace ventral
