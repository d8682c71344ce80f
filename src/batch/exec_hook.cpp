#include "batch/exec_hook.hpp"

#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

extern char** environ;

namespace tgget::batch {

using mtp::Error;

mtp::Result<std::vector<std::string>> split_command(const std::string& command) {
  std::vector<std::string> argv;
  std::string word;
  bool in_word = false;
  char quote = 0;
  for (std::size_t i = 0; i < command.size(); ++i) {
    const char c = command[i];
    if (quote) {
      if (c == quote) quote = 0;
      else if (c == '\\' && quote == '"' && i + 1 < command.size()) word += command[++i];
      else word += c;
    } else if (c == '\'' || c == '"') {
      quote = c;
      in_word = true;
    } else if (c == '\\' && i + 1 < command.size()) {
      word += command[++i];
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\n') {
      if (in_word) argv.push_back(std::move(word));
      word.clear();
      in_word = false;
    } else {
      word += c;
      in_word = true;
    }
  }
  if (quote) return Error::local(mtp::kErrInvalidArgument, "EXEC_INVALID", "--exec: an unclosed quote in: " + command);
  if (in_word) argv.push_back(std::move(word));
  if (argv.empty()) return Error::local(mtp::kErrInvalidArgument, "EXEC_INVALID", "--exec: an empty command");
  return argv;
}

mtp::Status run_exec_hook(const std::vector<std::string>& argv, const std::filesystem::path& path,
                          const RemoteFile& file, const std::string& sha256_hex) {
  std::vector<std::string> args = argv;
  args.push_back(path.string());
  std::vector<char*> c_args;
  for (auto& a : args) c_args.push_back(a.data());
  c_args.push_back(nullptr);

  // The environment, with the item's fields (values from Telegram are data here, never code).
  std::vector<std::string> env;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::strncmp(*e, "TGGET_", 6) != 0) env.emplace_back(*e);  // no secret of ours leaks on
  }
  env.push_back("TGGET_PATH=" + path.string());
  env.push_back("TGGET_CHAT=" + (file.peer.username.empty() ? std::to_string(file.peer.id) : file.peer.username));
  env.push_back("TGGET_CHAT_ID=" + std::to_string(file.peer.id));
  env.push_back("TGGET_MESSAGE_ID=" + std::to_string(file.message_id));
  env.push_back("TGGET_FILE_NAME=" + file.file_name);
  env.push_back("TGGET_SIZE=" + std::to_string(file.size));
  env.push_back("TGGET_SHA256=" + sha256_hex);
  env.push_back("TGGET_DATE=" + std::to_string(file.date));
  std::vector<char*> c_env;
  for (auto& e : env) {
    if (e.find('\0') == std::string::npos) c_env.push_back(e.data());
  }
  c_env.push_back(nullptr);

  pid_t pid = 0;
  const int rc = ::posix_spawnp(&pid, c_args[0], nullptr, nullptr, c_args.data(), c_env.data());
  if (rc != 0) {
    return Error::local(mtp::kErrInvalidArgument, "EXEC_FAILED", args[0] + ": " + std::strerror(rc));
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0) {
    if (errno != EINTR) return Error::local(mtp::kErrInternal, "EXEC_FAILED", args[0] + ": lost track of it");
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
  return Error::local(mtp::kErrInternal, "EXEC_FAILED",
                      args[0] + (WIFEXITED(status) ? " exited " + std::to_string(WEXITSTATUS(status))
                                                   : " was killed by signal " + std::to_string(WTERMSIG(status))));
}

}  // namespace tgget::batch
