#include "app.hpp"

#include <asio/co_spawn.hpp>
#include <asio/io_context.hpp>
#include <asio/signal_set.hpp>
#include <fmt/core.h>

#include "log/log.hpp"
#include <csignal>

namespace tgget {

namespace {

// Every setting tgget reads (.env.example lists them with comments).
constexpr const char* kSettingNames[] = {
    "TGGET_API_ID",  "TGGET_API_HASH",   "TGGET_HOME",     "TGGET_ACCOUNT",   "TGGET_PROXY",
    "TGGET_PHONE",   "TGGET_CODE",       "TGGET_PASSWORD", "TGGET_BOT_TOKEN", "TGGET_SERVER",
    "TGGET_SERVER_DC", "TGGET_SERVER_KEY", "TGGET_TRANSPORT", "TGGET_OBFUSCATE", "TGGET_IPV6"};

}  // namespace

void register_secrets(const Settings& settings) {
  for (const char* name : {"TGGET_API_HASH", "TGGET_PASSWORD", "TGGET_CODE", "TGGET_BOT_TOKEN"}) {
    if (auto v = settings.get(name)) log::add_secret(*v);
  }
  if (auto proxy = settings.get("TGGET_PROXY")) {
    if (auto parsed = parse_proxy(*proxy); parsed && !parsed->password.empty()) log::add_secret(parsed->password);
  }
}

void log_settings(const Settings& settings) {
  if (!log::enabled(log::Level::kInfo)) return;
  for (const char* name : kSettingNames) {
    if (auto source = settings.source_of(name)) log::info("setting", {{"name", std::string(name)}, {"from", source_name(*source)}});
  }
  log::info("state", {{"home", settings.home().string()}, {"account", settings.account()}});
}

int report_error(const std::string& what, const mtp::Error& error) {
  const ExitCode code = exit_code_for(error);
  log::info("failed", {{"what", what}, {"error_code", error.code}, {"type", error.type}, {"exit", int(code)}});
  fmt::print(stderr, "tgget: {}: {}\n", what, error.to_string());
  if (code == kExitLoginRequired) fmt::print(stderr, "tgget: log in with: tgget login --phone +NUMBER (or --bot-token)\n");
  if (code == kExitTemporary) {
    fmt::print(stderr, "tgget: a temporary failure: run the same command again later and it resumes"
                       " (check the network, TGGET_PROXY or TGGET_SERVER if it persists)\n");
  }
  if (code == kExitSecurity) {
    fmt::print(stderr, "tgget: the server failed a security check; nothing was trusted or stored\n");
  }
  return code;
}

int run_with_client(const Settings& settings, Command command) {
  auto config = settings.client_config();
  if (!config) return report_error("configuration", config.error());
  // api_hash by its key: the rule shows in the log at -vv ("api_hash=<redacted>").
  log::debug("client_config", {{"api_id", config->api_id}, {"api_hash", config->api_hash},
                               {"test_server", config->test_server.has_value()}});
  auto store = mtp::dc::AccountStore::open(settings.account_db());
  if (!store) return report_error("account database", store.error());

  asio::io_context io;
  auto client = mtp::client::Client::create(io.get_executor(), std::move(*config), *store);
  if (!client) return report_error("account", client.error());

  std::optional<mtp::Status> outcome;
  std::exception_ptr crashed;
  asio::signal_set signals(io, SIGINT, SIGTERM);
  int interrupted = 0;  // the signal that stopped us
  signals.async_wait([&](std::error_code ec, int signal) {
    if (ec) return;
    interrupted = signal;
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
    fmt::print(stderr, "tgget: {}; what was downloaded is saved: `tgget resume` continues\n",
               interrupted == SIGTERM ? "terminated" : "interrupted");
    return interrupted == SIGTERM ? kExitTerminated : kExitInterrupted;
  }
  if (!outcome || !*outcome) return report_error("error", outcome ? outcome->error() : mtp::Error::local(mtp::kErrInternal, "NO_OUTCOME"));
  return kExitOk;
}

}  // namespace tgget
