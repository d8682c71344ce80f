#pragma once
// What every command needs: settings → a Client on its own io_context, the coroutine run to the
// end (SIGINT/SIGTERM stop it cleanly), and an Error turned into a message and an exit code.
#include <asio/awaitable.hpp>
#include <functional>
#include <memory>

#include "client/client.hpp"
#include "exit_codes.hpp"
#include "settings.hpp"

namespace tgget {

struct OutputOptions {
  bool json = false;   // machine-readable output on stdout
  bool quiet = false;  // no progress/info on stderr
};

// Builds the settings once the whole command line is parsed (flags may follow the command).
using SettingsFactory = std::function<mtp::Result<Settings>()>;

using Command = std::function<asio::awaitable<mtp::Status>(mtp::client::Client& client)>;

// Opens the account's store and a Client for it, runs `command`, stops everything.
int run_with_client(const Settings& settings, Command command);

// Prints "tgget: <what>: <error>" on stderr (with a hint for the usual cases); returns the exit code.
int report_error(const std::string& what, const mtp::Error& error);

}  // namespace tgget
