#pragma once
// What every command needs: settings → a Client on its own io_context, the coroutine run to the
// end (SIGINT/SIGTERM stop it cleanly), and an Error turned into a message and an exit code.
#include <asio/awaitable.hpp>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "client/client.hpp"
#include "exit_codes.hpp"
#include "settings.hpp"

namespace tgget {

struct OutputOptions {
  bool json = false;   // machine-readable output on stdout
  bool quiet = false;  // no progress/info on stderr
  std::string progress = "auto";  // --progress auto|bar|plain|none (src/ui/select.hpp)
  int verbosity = 0;              // -v info, -vv debug; warnings by default
  std::optional<std::string> log_file;  // --log-file: log there (0600) instead of stderr
};

// Builds the settings once the whole command line is parsed (flags may follow the command).
using SettingsFactory = std::function<mtp::Result<Settings>()>;

using Command = std::function<asio::awaitable<mtp::Status>(mtp::client::Client& client)>;

// Opens the account's store and a Client for it, runs `command`, stops everything.
int run_with_client(const Settings& settings, Command command);

// Every secret value the settings hold (api_hash, password, login code, bot token, the proxy's
// password) is registered with the logger, which blanks it in any line.
void register_secrets(const Settings& settings);
// At -v: which settings are set and where from (never their values), the state directory.
void log_settings(const Settings& settings);

// Prints "tgget: <what>: <error>" on stderr (with a hint for the usual cases); returns the exit code.
int report_error(const std::string& what, const mtp::Error& error);

}  // namespace tgget
