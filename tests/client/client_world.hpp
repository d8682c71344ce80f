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
#include "client/login.hpp"
#include "tl/api.hpp"
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

// A Client for the server's network on the account database `account` under the server's directory.
inline std::shared_ptr<mtp::client::Client> make_client(asio::io_context& io, const TestDcProcess& dc,
                                                        const std::string& account = "default") {
  auto store = mtp::dc::AccountStore::open(account_db(dc, account));
  REQUIRE(store.ok());
  auto client = mtp::client::Client::create(io.get_executor(), dc.client_config(), *store);
  REQUIRE(client.ok());
  return *client;
}

// Phone + code (+ password) answered without a terminal.
inline mtp::client::CodeLogin code_login(const std::string& phone, const std::string& code,
                                         const std::string& password = "") {
  mtp::client::CodeLogin login;
  login.phone = phone;
  login.code = [code]() -> mtp::Result<std::string> { return code; };
  login.password = [password](const std::string&) -> mtp::Result<std::string> { return password; };
  return login;
}

// Logs the plain account in (home DC 2); fails the test otherwise.
inline asio::awaitable<mtp::client::AccountInfo> log_in(mtp::client::Client& client) {
  const auto login = code_login(kPhone, kCode);
  auto account = co_await mtp::client::login_with_code(client, login);
  if (!account) FAIL("login: " << account.error().to_string());
  co_return *account;
}

// The document of message `id` in @tgdemo.
inline asio::awaitable<mtp::tl::api::document> document_of(mtp::client::Client& client, int id) {
  namespace api = mtp::tl::api;
  const api::contacts_resolveUsername resolve{"tgdemo", std::nullopt};
  auto resolved = co_await client.invoke(resolve);
  if (!resolved) FAIL("resolve: " << resolved.error().to_string());
  const auto& chat = resolved->get<api::contacts_resolvedPeer>().chats.at(0).get<api::channel>();
  api::channels_getMessages get;
  get.channel = api::inputChannel{chat.id, chat.access_hash.value_or(0)};
  get.id.push_back(api::inputMessageID{id});
  auto messages = co_await client.invoke(get);
  if (!messages) FAIL("getMessages: " << messages.error().to_string());
  const auto& message = messages->get<api::messages_channelMessages>().messages.at(0).get<api::message>();
  REQUIRE(message.media);
  co_return message.media->get<api::messageMediaDocument>().document->get<api::document>();
}

inline mtp::tl::api::upload_getFile get_file(const mtp::tl::api::document& d, std::int64_t offset, std::int32_t limit) {
  mtp::tl::api::upload_getFile request;
  request.location = mtp::tl::api::inputDocumentFileLocation{d.id, d.access_hash, d.file_reference, ""};
  request.offset = offset;
  request.limit = limit;
  return request;
}

}  // namespace tgget::testing
