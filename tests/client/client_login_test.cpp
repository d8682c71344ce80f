// Login against a freshly started tgget-testdc through the client library: by code, by 2FA
// password, by bot token, with PHONE_MIGRATE to another home DC; the session surviving a process
// restart (no second handshake in the server's log); logout. Never co_await inside a Catch2 macro.
#include <sys/stat.h>

#include "client/login.hpp"
#include "client_world.hpp"
#include "tl/api.hpp"

using namespace tgget::testing;
using mtp::client::Client;
namespace api = mtp::tl::api;


TEST_CASE("login by code, the session survives a restart without a new handshake") {
  TestDcProcess dc(client_world());
  std::int64_t user_id = 0;
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    mtp::Status started = co_await client->start();
    REQUIRE(started.ok());
    const auto account = co_await log_in(*client);
    CHECK(account.first_name == "Alice");
    CHECK(account.username == "alice_user");
    CHECK(account.home_dc == 2);
    CHECK(client->stats().handshakes == 1);
    user_id = account.id;
    client->stop();
  });
  const int handshakes = dc.count("handshake", "ok");
  CHECK(handshakes == 1);
  CHECK(dc.count("help.getConfig") == 1);
  // The database holds an auth key: private to the user.
  struct stat st{};
  REQUIRE(::stat(account_db(dc).c_str(), &st) == 0);
  CHECK((st.st_mode & 0777) == 0600);

  // "Restart": a new Client on a new io_context, the same database.
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    CHECK(client->logged_in());
    mtp::Status started = co_await client->start();  // dc_options cached: no getConfig
    REQUIRE(started.ok());
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE(me.ok());
    CHECK(me->id == user_id);
    CHECK(client->stats().handshakes == 0);
    client->stop();
  });
  CHECK(dc.count("handshake", "ok") == handshakes);
  CHECK(dc.count("help.getConfig") == 1);
  CHECK(dc.count("users.getUsers", "ok") == 1);
}

TEST_CASE("login with a 2FA password through SRP, a wrong password is refused") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto wrong_client = make_client(io, dc, "wrong");
    auto wrong_login = code_login(kPhone2fa, kCode2fa, "not-the-password");
    auto wrong = co_await mtp::client::login_with_code(*wrong_client, wrong_login);
    REQUIRE_FALSE(wrong.ok());
    CHECK(wrong.error().type == "PASSWORD_HASH_INVALID");
    CHECK_FALSE(wrong_client->logged_in());
    wrong_client->stop();

    auto client = make_client(io, dc);
    auto login = code_login(kPhone2fa, kCode2fa, kPassword);
    auto account = co_await mtp::client::login_with_code(*client, login);
    REQUIRE(account.ok());
    CHECK(account->first_name == "Bob");
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE(me.ok());
    CHECK(me->id == account->id);
    client->stop();
  });
  CHECK(dc.count("auth.checkPassword", "ok") == 1);
}

TEST_CASE("a wrong login code is refused and nothing is logged in") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    auto login = code_login(kPhone, "99999");
    auto account = co_await mtp::client::login_with_code(*client, login);
    REQUIRE_FALSE(account.ok());
    CHECK(account.error().type == "PHONE_CODE_INVALID");
    CHECK_FALSE(client->logged_in());
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE_FALSE(me.ok());
    CHECK(me.error().type == "NOT_LOGGED_IN");
    client->stop();
  });
}

TEST_CASE("login by bot token") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    auto bad = co_await mtp::client::login_with_bot_token(*client, "1:WRONG");
    REQUIRE_FALSE(bad.ok());
    CHECK(bad.error().type == "ACCESS_TOKEN_INVALID");
    auto account = co_await mtp::client::login_with_bot_token(*client, kBotToken);
    REQUIRE(account.ok());
    CHECK(account->bot);
    CHECK(account->username == "tgget_bot");
    client->stop();
  });
}

TEST_CASE("PHONE_MIGRATE moves the home DC, it is remembered") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    mtp::Status started = co_await client->start();
    REQUIRE(started.ok());
    auto login = code_login(kPhoneDc4, kCodeDc4);
    auto account = co_await mtp::client::login_with_code(*client, login);
    REQUIRE(account.ok());
    CHECK(account->home_dc == 4);
    CHECK(client->home_dc() == 4);
    CHECK(client->stats().migrations == 1);
    client->stop();
  });
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    CHECK(client->home_dc() == 4);
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE(me.ok());
    CHECK(me->first_name == "Carol");
    client->stop();
  });
  // One key on DC 2 (first contact), one on DC 4; nothing more after the restart.
  CHECK(dc.count("handshake", "ok") == 2);
}

TEST_CASE("logout revokes the key's login on the server and forgets it locally") {
  TestDcProcess dc(client_world());
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    const auto account = co_await log_in(*client);
    mtp::Status out = co_await mtp::client::logout(*client);
    REQUIRE(out.ok());
    CHECK_FALSE(client->logged_in());
  });
  CHECK(dc.count("auth.logOut", "ok") == 1);
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    CHECK_FALSE(client->logged_in());
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE_FALSE(me.ok());
    CHECK(mtp::client::is_login_required(me.error()));
    client->stop();
  });
}

TEST_CASE("a login revoked on the server surfaces as login required and not as a retry loop") {
  TestDcProcess dc(client_world());
  // The login is revoked behind this database's back: a copy of it (same auth key) logs out.
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    const auto account = co_await log_in(*client);
    client->stop();
  });
  std::filesystem::copy_file(account_db(dc), account_db(dc, "copy"));
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc, "copy");
    mtp::Status out = co_await mtp::client::logout(*client);
    REQUIRE(out.ok());
  });
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    auto client = make_client(io, dc);
    CHECK(client->logged_in());  // as far as the database knows
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE_FALSE(me.ok());
    CHECK(me.error().code == 401);
    CHECK(mtp::client::is_login_required(me.error()));
    CHECK_FALSE(client->logged_in());  // and now it knows
    client->stop();
  });
}
