#include "common/subprocess.h"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "common/error.h"

extern char** environ;

namespace ventral {
namespace {

std::vector<char*> c_argv(const std::vector<std::string>& argv) {
  std::vector<char*> out;
  for (const auto& a : argv) out.push_back(const_cast<char*>(a.c_str()));
  out.push_back(nullptr);
  return out;
}

// Starts argv with the given file actions (posix_spawnp: PATH lookup for bare names).
pid_t spawn(const std::vector<std::string>& argv, posix_spawn_file_actions_t* actions) {
  if (argv.empty()) fail("start_process: no program");
  pid_t pid = 0;
  auto args = c_argv(argv);
  const int rc = posix_spawnp(&pid, argv[0].c_str(), actions, nullptr, args.data(), environ);
  if (rc != 0) fail("cannot start {}: {}", argv[0], std::strerror(rc));
  return pid;
}

int exit_code_of(int status) {
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
  return 1;
}

struct FileActions {
  posix_spawn_file_actions_t actions;
  FileActions() { posix_spawn_file_actions_init(&actions); }
  ~FileActions() { posix_spawn_file_actions_destroy(&actions); }
};

}  // namespace

pid_t start_process(const ProcessOptions& options) {
  FileActions fa;
  if (!options.output.empty()) {
    posix_spawn_file_actions_addopen(&fa.actions, 1, options.output.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
    posix_spawn_file_actions_adddup2(&fa.actions, 1, 2);
  }
  return spawn(options.argv, &fa.actions);
}

int wait_process(pid_t pid) {
  int status = 0;
  while (waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return 1;
  }
  return exit_code_of(status);
}

std::pair<pid_t, int> wait_any_process() {
  int status = 0;
  pid_t pid;
  while ((pid = waitpid(-1, &status, 0)) < 0) {
    if (errno != EINTR) return {-1, 0};
  }
  return {pid, exit_code_of(status)};
}

int run_process(const ProcessOptions& options, std::string* last_error_line) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) fail("cannot start {}: no pipe", options.argv.empty() ? "" : options.argv[0]);
  FileActions fa;
  if (!options.output.empty()) {
    posix_spawn_file_actions_addopen(&fa.actions, 1, options.output.c_str(),
                                     O_WRONLY | O_CREAT | O_APPEND, 0644);
  }
  posix_spawn_file_actions_adddup2(&fa.actions, pipe_fds[1], 2);
  posix_spawn_file_actions_addclose(&fa.actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&fa.actions, pipe_fds[1]);
  pid_t pid;
  try {
    pid = spawn(options.argv, &fa.actions);
  } catch (...) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw;
  }
  close(pipe_fds[1]);
  // stderr goes where the caller's output goes, and its last line is kept.
  int sink = 2;
  if (!options.output.empty()) sink = open(options.output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
  std::string line, last;
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (sink >= 0) {
      ssize_t off = 0;
      while (off < n) {
        const ssize_t w = write(sink, buffer.data() + off, static_cast<size_t>(n - off));
        if (w <= 0) break;
        off += w;
      }
    }
    for (ssize_t i = 0; i < n; ++i) {
      const char c = buffer[static_cast<size_t>(i)];
      if (c == '\n' || c == '\r') {
        if (!line.empty()) last = line;
        line.clear();
      } else {
        line += c;
      }
    }
  }
  if (!line.empty()) last = line;
  close(pipe_fds[0]);
  if (sink > 2) close(sink);
  if (last_error_line != nullptr) *last_error_line = last;
  return wait_process(pid);
}

std::string capture_process(const std::vector<std::string>& argv, int* exit_code) {
  int pipe_fds[2];
  if (pipe(pipe_fds) != 0) fail("cannot start {}: no pipe", argv.empty() ? "" : argv[0]);
  FileActions fa;
  posix_spawn_file_actions_adddup2(&fa.actions, pipe_fds[1], 1);
  posix_spawn_file_actions_addclose(&fa.actions, pipe_fds[0]);
  posix_spawn_file_actions_addclose(&fa.actions, pipe_fds[1]);
  pid_t pid;
  try {
    pid = spawn(argv, &fa.actions);
  } catch (...) {
    close(pipe_fds[0]);
    close(pipe_fds[1]);
    throw;
  }
  close(pipe_fds[1]);
  std::string out;
  std::array<char, 4096> buffer;
  for (;;) {
    const ssize_t n = read(pipe_fds[0], buffer.data(), buffer.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    out.append(buffer.data(), static_cast<size_t>(n));
  }
  close(pipe_fds[0]);
  const int code = wait_process(pid);
  if (exit_code != nullptr) *exit_code = code;
  return out;
}

std::string self_executable() {
  std::error_code ec;
  auto path = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (ec) fail("cannot find this program's path (/proc/self/exe: {})", ec.message());
  return path.string();
}

bool program_available(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  std::size_t start = 0;
  while (start <= dirs.size()) {
    const auto end = dirs.find(':', start);
    const std::string dir = dirs.substr(start,
                                        end == std::string::npos ? std::string::npos : end - start);
    if (!dir.empty() && access((dir + "/" + program).c_str(), X_OK) == 0) return true;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return false;
}

}  // namespace ventral
