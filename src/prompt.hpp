#pragma once
// Asking the person at the terminal, and only when there is one: with stdin not a terminal (a
// script, cron, a pipe) a missing value is an error naming the flag or variable to use instead.
#include <string>

#include "core/result.hpp"

namespace tgget {

bool have_terminal();

// `question` is shown on stderr; `hidden` turns off the echo (passwords). `instead` names the flag
// or variable for the error without a terminal, e.g. "--code or TGGET_CODE".
mtp::Result<std::string> ask(const std::string& question, bool hidden, const std::string& instead);

}  // namespace tgget
