#pragma once
// --exec CMD: run after each finished file, with the file's path appended as one more argument
// (never pasted into a shell string, so a hostile name cannot inject anything) and the item's
// fields in TGGET_* environment variables. The command line is split on blanks, without a shell.
#include <filesystem>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "resolve/remote_file.hpp"

namespace tgget::batch {

// "cmd arg 'two words'" → argv; single and double quotes group, backslash escapes. Error:
// EXEC_INVALID for an empty command or an unclosed quote.
mtp::Result<std::vector<std::string>> split_command(const std::string& command);

// Runs argv + [path] and waits for it. Error: EXEC_FAILED when it cannot start or exits non-zero
// (the download itself stays done).
mtp::Status run_exec_hook(const std::vector<std::string>& argv, const std::filesystem::path& path,
                          const RemoteFile& file, const std::string& sha256_hex);

}  // namespace tgget::batch
