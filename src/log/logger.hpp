#pragma once
// Where log lines go: a file (--log-file, created 0600) or stderr, through spdlog. While a live
// display runs, stderr lines go through the display's hook (Renderer::print_above) so they appear
// above its lines instead of tearing them. Also installs the bridge from the protocol library's
// log sink (mtproto/core/log_sink.hpp), so its RPC errors, retries, reconnects and DC moves land here.
#include <filesystem>
#include <functional>
#include <optional>
#include <string_view>

#include "core/result.hpp"
#include "log/log.hpp"

namespace tgget::log {

struct LogOptions {
  Level level = Level::kWarn;  // -v: info, -vv: debug
  std::optional<std::filesystem::path> file;
};

// -v count → level: 0 warnings, 1 info, 2 or more debug.
Level level_for_verbosity(int verbosity);

// Replaces the logger. Errors: the log file cannot be created or opened (kErrIo).
mtp::Status init(const LogOptions& options);

// A live display takes over stderr: lines for stderr go to `hook` until reset with nullptr. The
// hook may be called from any thread; it must be safe for that (ui::LockedRenderer is).
using LineHook = std::function<void(std::string_view line)>;
void set_display_hook(LineHook hook);

// Flushes and drops the logger (at exit; nothing is logged after).
void shutdown();

}  // namespace tgget::log
