#include "app.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <fmt/core.h>

namespace tgget {

int report_error(const std::string& what, const mtp::Error& error) {
  const ExitCode code = exit_code_for(error);
  fmt::print(stderr, "tgget: {}: {}\n", what, error.to_string());
  if (code == kExitLoginRequired) fmt::print(stderr, "tgget: log in with: tgget login --phone +NUMBER (or --bot-token)\n");
  if (code == kExitNetwork) fmt::print(stderr, "tgget: check the network, TGGET_PROXY, or TGGET_SERVER\n");
  if (code == kExitSecurity) {
    fmt::print(stderr, "tgget: the server failed a security check; nothing was trusted or stored\n");
  }
  return code;
}

int run_with_client(const Settings& settings, Command command) {
  auto config = settings.client_config();
  if (!config) return report_error("configuration", config.error());
  auto store = mtp::dc::AccountStore::open(settings.account_db());
  if (!store) return report_error("account database", store.error());

  asio::io_context io;
  auto client = mtp::client::Client::create(io.get_executor(), std::move(*config), *store);
  if (!client) return report_error("account", client.error());

  std::optional<mtp::Status> outcome;
  std::exception_ptr crashed;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  bool interrupted = false;
  signals.async_wait([&](std::error_code ec, int) {
    if (ec) return;
    interrupted = true;
    (*client)->stop();
  });
  asio::co_spawn(
      io, [&]() -> asio::awaitable<void> { outcome = co_await command(**client); },
      [&](std::exception_ptr e) {
        crashed = e;
        (*client)->stop();
        signals.cancel();
      });
  io.run();
  if (crashed) std::rethrow_exception(crashed);  // a bug: let it be loud
  if (interrupted) {
    fmt::print(stderr, "tgget: interrupted\n");
    return kExitInterrupted;
  }
  if (!outcome || !*outcome) return report_error("error", outcome ? outcome->error() : mtp::Error::local(mtp::kErrInternal, "NO_OUTCOME"));
  return kExitOk;
}

}  // namespace tgget
