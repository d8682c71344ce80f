#include "account_commands.hpp"

#include <fmt/core.h>
#include <nlohmann/json.hpp>

#include "client/login.hpp"
#include "log/log.hpp"
#include "prompt.hpp"

namespace tgget {
namespace {

using mtp::client::AccountInfo;
using mtp::client::Client;

struct LoginFlags {
  std::optional<std::string> phone, code, password, bot_token;
};

void print_account(const AccountInfo& a, const OutputOptions& output) {
  if (output.json) {
    nlohmann::json j{{"id", a.id},           {"first_name", a.first_name}, {"last_name", a.last_name},
                     {"username", a.username}, {"bot", a.bot},           {"home_dc", a.home_dc}};
    fmt::print("{}\n", j.dump());
    return;
  }
  std::string name = a.first_name;
  if (!a.last_name.empty()) name.append(" ").append(a.last_name);
  fmt::print("id: {}\nname: {}\nusername: {}\nhome_dc: {}\n", a.id, name, a.username.empty() ? "-" : "@" + a.username,
             a.home_dc);
}

}  // namespace

void add_account_commands(CLI::App& app, const SettingsFactory& make_settings, const OutputOptions& output, int& exit_code) {
  auto flags = std::make_shared<LoginFlags>();
  auto* login = app.add_subcommand("login", "log in with a phone number and code (and 2FA password), or a bot token");
  login->add_option("--phone", flags->phone, "phone number in international format (or TGGET_PHONE)");
  login->add_option("--code", flags->code, "the login code Telegram sent (or TGGET_CODE); asked when omitted on a terminal");
  login->add_option("--password", flags->password, "2FA password (or TGGET_PASSWORD); asked when needed on a terminal");
  login->add_option("--bot-token", flags->bot_token, "log in as a bot instead (or TGGET_BOT_TOKEN)");
  login->callback([&make_settings, &output, &exit_code, flags] {
    auto made = make_settings();
    if (!made) {
      exit_code = report_error("settings", made.error());
      return;
    }
    Settings s = std::move(*made);
    s.set_flag("TGGET_PHONE", flags->phone);
    s.set_flag("TGGET_CODE", flags->code);
    s.set_flag("TGGET_PASSWORD", flags->password);
    s.set_flag("TGGET_BOT_TOKEN", flags->bot_token);
    register_secrets(s);  // --code, --password, --bot-token given to this command
    exit_code = run_with_client(s, [s, output](Client& client) -> asio::awaitable<mtp::Status> {
      mtp::Status started = co_await client.start();
      if (!started) co_return started;
      mtp::Result<AccountInfo> account = mtp::Error::local(mtp::kErrInternal, "UNSET");
      if (auto token = s.get("TGGET_BOT_TOKEN")) {
        log::info("login", {{"method", "bot_token"}});
        account = co_await mtp::client::login_with_bot_token(client, *token);
      } else {
        auto phone = s.get("TGGET_PHONE");
        if (!phone) {
          auto asked = ask("Phone number (international format): ", false, "--phone or TGGET_PHONE");
          if (!asked) co_return std::move(asked).error();
          phone = *asked;
        }
        log::info("login", {{"method", "code"}, {"password_given", s.get("TGGET_PASSWORD").has_value()}});
        mtp::client::CodeLogin login;
        login.phone = *phone;
        login.code = [s]() -> mtp::Result<std::string> {
          mtp::Result<std::string> code = s.get("TGGET_CODE") ? mtp::Result<std::string>(*s.get("TGGET_CODE"))
                                                              : ask("Login code: ", false, "--code or TGGET_CODE");
          if (code) log::add_secret(*code);  // typed at the prompt: a secret as well
          return code;
        };
        login.password = [s](const std::string& hint) -> mtp::Result<std::string> {
          if (auto password = s.get("TGGET_PASSWORD")) return *password;
          log::info("password_asked", {{"hint_given", !hint.empty()}});
          auto typed = ask(hint.empty() ? "2FA password: " : "2FA password (hint: " + hint + "): ", true,
                           "--password or TGGET_PASSWORD");
          if (typed) log::add_secret(*typed);
          return typed;
        };
        account = co_await mtp::client::login_with_code(client, login);
      }
      if (!account) co_return std::move(account).error();
      log::info("logged_in", {{"user_id", account->id}, {"home_dc", account->home_dc}, {"bot", account->bot}});
      if (!output.quiet && !output.json) fmt::print(stderr, "tgget: logged in\n");
      print_account(*account, output);
      co_return mtp::Status{};
    });
  });

  auto* whoami = app.add_subcommand("whoami", "print the logged-in account: id, name, username, home DC");
  whoami->callback([&make_settings, &output, &exit_code] {
    auto settings = make_settings();
    if (!settings) {
      exit_code = report_error("settings", settings.error());
      return;
    }
    exit_code = run_with_client(*settings, [output](Client& client) -> asio::awaitable<mtp::Status> {
      auto account = co_await mtp::client::current_account(client);
      if (!account) co_return std::move(account).error();
      print_account(*account, output);
      co_return mtp::Status{};
    });
  });

  auto* logout = app.add_subcommand("logout", "log out on the server and forget every key of this account");
  logout->callback([&make_settings, &output, &exit_code] {
    auto settings = make_settings();
    if (!settings) {
      exit_code = report_error("settings", settings.error());
      return;
    }
    exit_code = run_with_client(*settings, [output](Client& client) -> asio::awaitable<mtp::Status> {
      const bool was_logged_in = client.logged_in();
      mtp::Status done = co_await mtp::client::logout(client);
      if (!done) co_return done;
      if (!output.quiet) fmt::print(stderr, "tgget: {}\n", was_logged_in ? "logged out" : "was not logged in");
      co_return mtp::Status{};
    });
  });
}

}  // namespace tgget
