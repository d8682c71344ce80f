#pragma once
// Shared by the sink and store tests: a scratch directory per test and a child process to run
// code that must not touch the test process (resource limits, locks held until SIGKILL).
#include <catch2/catch.hpp>

#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <functional>
#include <string>

namespace engine_test {

namespace fs = std::filesystem;

// A fresh directory, removed with everything in it when the test ends.
class ScratchDir {
 public:
  ScratchDir() {
    std::string tmpl = (fs::temp_directory_path() / "tgget-engine-XXXXXX").string();
    REQUIRE(::mkdtemp(tmpl.data()) != nullptr);
    path_ = tmpl;
  }
  ~ScratchDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const fs::path& path() const { return path_; }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

// The error type of a Result, or "(ok)": a CHECK on it never reads the error of a success.
template <class R>
std::string error_type(const R& result) {
  return result.ok() ? std::string("(ok)") : result.error().type;
}

inline unsigned mode_of(const fs::path& p) {
  struct stat st{};
  REQUIRE(::lstat(p.c_str(), &st) == 0);
  return st.st_mode & 07777;
}

// Forks; the child runs `body` and _exits with its result, skipping every destructor and
// atexit handler of the test process (the scratch directory above included).
inline pid_t start_child(const std::function<int()>& body) {
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) ::_exit(body());
  return pid;
}

// The child's exit code, or 1000 + the signal that ended it.
inline int wait_child(pid_t pid) {
  int status = 0;
  REQUIRE(::waitpid(pid, &status, 0) == pid);
  if (WIFEXITED(status)) return WEXITSTATUS(status);
  return 1000 + WTERMSIG(status);
}

inline int run_in_child(const std::function<int()>& body) { return wait_child(start_child(body)); }

}  // namespace engine_test
