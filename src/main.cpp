// tgget: command-line Telegram downloader. Global options, then one command.
#include <CLI/CLI.hpp>
#include <fmt/core.h>

#include "account_commands.hpp"
#include "download_command.hpp"
#include "jobs_commands.hpp"
#include "exit_codes.hpp"
#include "app.hpp"
#include "log/log.hpp"
#include "log/logger.hpp"

int main(int argc, char** argv) {
  using namespace tgget;
  CLI::App app{"tgget: fast, resumable Telegram downloader"};
  app.set_version_flag("--version", std::string("tgget ") + TGGET_VERSION);
  app.require_subcommand(1);
  app.fallthrough();  // global options may also follow the command

  std::optional<std::string> env_file, home, account, server, server_dc, server_key, proxy;
  OutputOptions output;
  app.add_option("--env-file", env_file, "read TGGET_* settings from FILE (flags win over it, it wins over the environment)")
      ->check(CLI::ExistingFile);
  app.add_option("--home", home, "state directory (or TGGET_HOME; default ~/.local/state/tgget)");
  app.add_option("--account", account, "account name: one session database per account (or TGGET_ACCOUNT)");
  app.add_option("--server", server, "host:port of a test server instead of Telegram (or TGGET_SERVER)");
  app.add_option("--server-dc", server_dc, "DC id of --server (or TGGET_SERVER_DC)");
  app.add_option("--server-key", server_key, "PEM public key of --server (or TGGET_SERVER_KEY)");
  app.add_option("--proxy", proxy, "socks5://[user:pass@]host:port or http://host:port (or TGGET_PROXY)");
  app.add_flag("--json", output.json, "machine-readable output on stdout");
  app.add_flag("-q,--quiet", output.quiet, "no messages on stderr except errors");
  app.add_option("--progress", output.progress, "auto (a live display on a terminal, plain lines otherwise), bar, plain, none")
      ->check(CLI::IsMember({"auto", "bar", "plain", "none"}));
  app.add_flag("-v,--verbose", output.verbosity, "log more: -v what happens (RPC errors, retries, reconnects), -vv debug");
  app.add_option("--log-file", output.log_file, "write the log to FILE (created mode 0600) instead of stderr");

  int exit_code = kExitOk;
  SettingsFactory make_settings = [&]() -> mtp::Result<Settings> {
    // Logging first: what the settings decide is worth a line at -v.
    MTP_TRY(log::init({log::level_for_verbosity(output.verbosity), output.log_file}));
    Settings settings;
    std::error_code ec;
    MTP_TRY(settings.load_implicit_files(std::filesystem::current_path(ec)));
    if (env_file) {
      auto values = Settings::read_env_file(*env_file);
      if (!values) return std::move(values).error();
      settings.set_env_file(std::move(*values));
    }
    settings.set_flag("TGGET_HOME", home);
    settings.set_flag("TGGET_ACCOUNT", account);
    settings.set_flag("TGGET_SERVER", server);
    settings.set_flag("TGGET_SERVER_DC", server_dc);
    settings.set_flag("TGGET_SERVER_KEY", server_key);
    settings.set_flag("TGGET_PROXY", proxy);
    register_secrets(settings);
    log_settings(settings);
    return settings;
  };
  add_account_commands(app, make_settings, output, exit_code);
  add_download_commands(app, make_settings, output, exit_code);
  add_jobs_commands(app, make_settings, output, exit_code);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    return code == 0 ? kExitOk : kExitUsage;
  }
  log::shutdown();
  return exit_code;
}
