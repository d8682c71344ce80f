#include "prompt.hpp"

#include <termios.h>
#include <unistd.h>

#include <iostream>

namespace tgget {

bool have_terminal() { return ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1; }

mtp::Result<std::string> ask(const std::string& question, bool hidden, const std::string& instead) {
  if (!have_terminal()) {
    return mtp::Error::local(mtp::kErrInvalidArgument, "INPUT_REQUIRED", "no terminal to ask on; give " + instead);
  }
  std::cerr << question << std::flush;
  termios saved{};
  const bool mute = hidden && ::tcgetattr(STDIN_FILENO, &saved) == 0;
  if (mute) {
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
  }
  std::string answer;
  const bool got = static_cast<bool>(std::getline(std::cin, answer));
  if (mute) {
    ::tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    std::cerr << '\n';
  }
  if (!got) return mtp::Error::local(mtp::kErrInvalidArgument, "INPUT_REQUIRED", "no answer; give " + instead);
  return answer;
}

}  // namespace tgget
