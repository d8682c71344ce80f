#pragma once
// The world the client tests run against: a plain account (home DC 2), a 2FA account, an account
// whose home is DC 4, a bot, and a channel with files on DC 2 (which has a media address) and DC 4.
// Helpers run a coroutine on a fresh io_context the way the CLI does.
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include <filesystem>
#include <functional>

#include "client/client.hpp"
#include "testdc_process.hpp"

namespace tgget::testing {

inline constexpr std::size_t kFileDc2Size = 4 * 1024 * 1024 + 12345;
inline constexpr std::size_t kFileDc4Size = 2 * 1024 * 1024 + 777;
inline const std::string kPhone = "15550000001";
inline const std::string kCode = "12345";
inline const std::string kPhone2fa = "15550000002";
inline const std::string kCode2fa = "22222";
inline const std::string kPassword = "hunter2";
inline const std::string kPhoneDc4 = "15550000003";
inline const std::string kCodeDc4 = "33333";
inline const std::string kBotToken = "100001:TESTBOT";

inline TestDcOptions client_world(std::vector<std::string> args = {}) {
  TestDcOptions o;
  o.files["dc2.bin"] = pattern_bytes(kFileDc2Size, 2);
  o.files["dc4.bin"] = pattern_bytes(kFileDc4Size, 4);
  o.manifest = R"({
    "dcs": [{"id": 1}, {"id": 2, "media": true}, {"id": 4}],
    "accounts": [
      {"phone": "15550000001", "code": "12345", "username": "alice_user", "first_name": "Alice", "last_name": "Liddell"},
      {"phone": "15550000002", "code": "22222", "password": "hunter2", "first_name": "Bob"},
      {"phone": "15550000003", "code": "33333", "home_dc": 4, "first_name": "Carol"}],
    "bots": [{"token": "100001:TESTBOT", "username": "tgget_bot"}],
    "channels": [
      {"username": "TgDemo", "title": "Demo", "messages": [
        {"text": "on dc2", "document": {"file": "dc2.bin", "dc": 2}},
        {"text": "on dc4", "document": {"file": "dc4.bin", "dc": 4}}]}]
  })";
  o.args = std::move(args);
  return o;
}

// A fresh account database path under the server's directory (removed with it).
inline std::filesystem::path account_db(const TestDcProcess& dc, const std::string& name = "default") {
  return dc.dir() / "home" / "accounts" / (name + ".sqlite");
}

// Runs `body` to completion on its own io_context (as one tgget process would); rethrows.
inline void run_io(std::function<asio::awaitable<void>(asio::io_context&)> body) {
  asio::io_context io;
  std::exception_ptr failure;
  bool done = false;
  asio::co_spawn(io, body(io), [&](std::exception_ptr e) {
    failure = e;
    done = true;
    io.stop();
  });
  io.run();
  if (failure) std::rethrow_exception(failure);
  REQUIRE(done);
}

}  // namespace tgget::testing
