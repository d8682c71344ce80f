// A relay between the client and the test DC flips one bit inside the encrypted part of the first
// encrypted packet the server sends. The client must reject it (msg_key check), drop that
// connection, and finish the call on a new one. Never co_await inside a Catch2 macro.
#include <asio/ip/tcp.hpp>
#include <asio/read.hpp>
#include <asio/write.hpp>

#include "client/login.hpp"
#include "client_world.hpp"
#include "tl/api.hpp"

using namespace tgget::testing;
using mtp::client::Client;
using asio::ip::tcp;
namespace api = mtp::tl::api;

namespace {

// Accepts connections and pipes each to the DC; server→client intermediate frames are parsed so
// that exactly one encrypted frame (auth_key_id != 0) can be damaged.
class TamperingRelay {
 public:
  TamperingRelay(asio::io_context& io, std::uint16_t target_port)
      : io_(io), acceptor_(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), target_port_(target_port) {
    asio::co_spawn(io_, accept_loop(), asio::detached);
  }
  std::uint16_t port() const { return acceptor_.local_endpoint().port(); }
  int connections() const { return connections_; }
  bool tampered() const { return tampered_; }
  void close() {
    std::error_code ec;
    acceptor_.close(ec);
    for (auto& s : sockets_) {
      if (auto p = s.lock()) p->close(ec);
    }
  }

 private:
  asio::awaitable<void> accept_loop() {
    for (;;) {
      std::error_code ec;
      tcp::socket client(io_);
      co_await acceptor_.async_accept(client, asio::redirect_error(asio::use_awaitable, ec));
      if (ec) co_return;
      ++connections_;
      auto downstream = std::make_shared<tcp::socket>(std::move(client));
      auto upstream = std::make_shared<tcp::socket>(io_);
      co_await upstream->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), target_port_),
                                       asio::redirect_error(asio::use_awaitable, ec));
      if (ec) continue;
      sockets_.push_back(downstream);
      sockets_.push_back(upstream);
      asio::co_spawn(io_, copy_raw(downstream, upstream), asio::detached);
      asio::co_spawn(io_, copy_frames(upstream, downstream), asio::detached);
    }
  }

  static asio::awaitable<void> copy_raw(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<std::uint8_t, 16384> buffer;
    for (;;) {
      std::error_code ec;
      const std::size_t n = co_await from->async_read_some(asio::buffer(buffer), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      co_await asio::async_write(*to, asio::buffer(buffer.data(), n), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    std::error_code ignored;
    to->close(ignored);
    from->close(ignored);
  }

  asio::awaitable<void> copy_frames(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    for (;;) {
      std::error_code ec;
      std::uint8_t header[4];
      co_await asio::async_read(*from, asio::buffer(header), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const std::uint32_t length = std::uint32_t(header[0]) | std::uint32_t(header[1]) << 8 |
                                   std::uint32_t(header[2]) << 16 | std::uint32_t(header[3] & 0x7f) << 24;
      mtp::Bytes payload(length);
      co_await asio::async_read(*from, asio::buffer(payload), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
      const bool encrypted = payload.size() >= 64 && std::any_of(payload.begin(), payload.begin() + 8, [](auto b) { return b != 0; });
      if (encrypted && !tampered_) {
        payload[40] ^= 0x01;  // inside the AES-IGE ciphertext (after auth_key_id and msg_key)
        tampered_ = true;
      }
      co_await asio::async_write(*to, asio::buffer(header), asio::redirect_error(asio::use_awaitable, ec));
      if (!ec) co_await asio::async_write(*to, asio::buffer(payload), asio::redirect_error(asio::use_awaitable, ec));
      if (ec) break;
    }
    std::error_code ignored;
    to->close(ignored);
    from->close(ignored);
  }

  asio::io_context& io_;
  tcp::acceptor acceptor_;
  std::uint16_t target_port_;
  int connections_ = 0;
  bool tampered_ = false;
  std::vector<std::weak_ptr<tcp::socket>> sockets_;
};

}  // namespace

TEST_CASE("a tampered response is rejected and the call completes on a new connection") {
  TestDcProcess dc(client_world());
  auto config = dc.client_config();
  run_io([&](asio::io_context& io) -> asio::awaitable<void> {
    TamperingRelay relay(io, config.test_server->port);
    auto relayed = config;
    relayed.test_server->port = relay.port();  // DC 2 only, and only through the relay (no getConfig)
    auto store = mtp::dc::AccountStore::open(account_db(dc));
    REQUIRE(store.ok());
    auto created = Client::create(io.get_executor(), relayed, *store);
    REQUIRE(created.ok());
    auto client = *created;

    const auto account = co_await log_in(*client);
    CHECK(relay.tampered());
    // The handshake's connection, the one that carried the damaged packet, and its replacement.
    CHECK(relay.connections() >= 3);
    auto me = co_await mtp::client::current_account(*client);
    REQUIRE(me.ok());
    CHECK(me->id == account.id);
    client->stop();
    relay.close();
  });
  // The damaged answer was never accepted: sendCode was answered twice (the resend on the new
  // connection), signIn once.
  CHECK(dc.count("auth.sendCode", "ok") == 2);
  CHECK(dc.count("auth.signIn", "ok") == 1);
}
