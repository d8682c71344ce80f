// Connections through SOCKS5 and HTTP CONNECT proxies (fixtures in proxy_fixtures.cpp), credentials
// right and wrong, and connect timeouts against a proxy that never answers.
#include <catch2/catch.hpp>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>

#include "loopback.hpp"
#include "proxy_fixtures.hpp"
#include "test_support.hpp"
#include "transport/connection.hpp"
#include "transport/server_connection.hpp"

using namespace mtp;
using namespace mtp::transport;
using namespace mtp::transport::test;
using namespace asio::experimental::awaitable_operators;
using asio::experimental::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

// One connection, echoes packets until the client leaves. Counts what it served.
asio::awaitable<void> echo_one(tcp::acceptor& acceptor, int& echoed) {
  auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
  REQUIRE_FALSE(ec);
  ServerConnection connection(std::move(socket));
  for (;;) {
    auto packet = co_await connection.receive();
    if (!packet) co_return;
    Frame reply = Frame::copy_of(packet->payload);
    auto sent = co_await connection.send(reply);
    REQUIRE(sent);
    ++echoed;
  }
}

asio::awaitable<void> ping_through(asio::any_io_executor ex, ConnectOptions options) {
  auto connection = co_await Connection::connect(ex, options);
  if (!connection) FAIL(connection.error().to_string());
  for (std::size_t size : {std::size_t{16}, std::size_t{1} << 20}) {
    Bytes payload(size);
    for (std::size_t i = 0; i < size; ++i) payload[i] = static_cast<std::uint8_t>(i * 7);
    Frame frame = Frame::copy_of(payload);
    auto sent = co_await connection->send(frame);
    REQUIRE(sent);
    auto reply = co_await connection->receive(std::chrono::seconds(10));
    if (!reply) FAIL(reply.error().to_string());
    CHECK(Bytes(reply->payload.begin(), reply->payload.end()) == payload);
  }
  connection->close();
}

ConnectOptions via(ProxyConfig::Type type, std::uint16_t proxy_port, std::string target_host, std::uint16_t port,
                   std::string user = {}, std::string password = {}) {
  ConnectOptions options;
  options.host = std::move(target_host);
  options.port = port;
  options.transport = TransportKind::kIntermediate;
  options.obfuscated = true;
  options.proxy = {type, "127.0.0.1", proxy_port, std::move(user), std::move(password)};
  options.timeout = std::chrono::seconds(5);
  return options;
}

struct ProxyCase {
  ProxyFixture::Kind fixture;
  ProxyConfig::Type type;
};

const ProxyCase kProxies[] = {{ProxyFixture::Kind::kSocks5, ProxyConfig::Type::kSocks5},
                              {ProxyFixture::Kind::kHttpConnect, ProxyConfig::Type::kHttpConnect}};

}  // namespace

TEST_CASE("connections through a proxy without credentials", "[transport][asio][proxy]") {
  for (const ProxyCase& pc : kProxies) {
    for (const char* target : {"127.0.0.1", "localhost"}) {
      INFO((pc.type == ProxyConfig::Type::kSocks5 ? "socks5 " : "http ") << target);
      int echoed = 0, tunnels = 0;
      std::string seen_host;
      run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        ProxyFixture proxy(ex, pc.fixture);
        co_await (echo_one(acceptor, echoed) &&
                  ping_through(ex, via(pc.type, proxy.port(), target, acceptor.local_endpoint().port())));
        tunnels = proxy.tunnels_opened();
        seen_host = proxy.last_target_host();
        proxy.stop();
      });
      CHECK(echoed == 2);
      CHECK(tunnels == 1);
      CHECK(seen_host == target);  // host names are resolved by the proxy, not by us
    }
  }
}

TEST_CASE("connections through a proxy with credentials", "[transport][asio][proxy]") {
  for (const ProxyCase& pc : kProxies) {
    INFO((pc.type == ProxyConfig::Type::kSocks5 ? "socks5" : "http"));
    {  // right credentials
      int echoed = 0;
      run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
        tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        ProxyFixture proxy(ex, pc.fixture, "alice", "s3cret:x");
        co_await (echo_one(acceptor, echoed) &&
                  ping_through(ex, via(pc.type, proxy.port(), "127.0.0.1", acceptor.local_endpoint().port(),
                                       "alice", "s3cret:x")));
        CHECK(proxy.auth_failures() == 0);
        proxy.stop();
      });
      CHECK(echoed == 2);
    }
    {  // wrong or missing credentials
      for (const char* password : {"wrong", ""}) {
        INFO("password '" << password << "'");
        run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
          tcp::acceptor acceptor(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
          ProxyFixture proxy(ex, pc.fixture, "alice", "s3cret:x");
          const std::string user = *password ? "alice" : "";
          auto connection = co_await Connection::connect(
              ex, via(pc.type, proxy.port(), "127.0.0.1", acceptor.local_endpoint().port(), user, password));
          REQUIRE_FALSE(connection);
          CHECK(connection.error().code == kErrNetwork);
          CHECK(connection.error().type == "PROXY_AUTH_FAILED");
          CHECK(proxy.auth_failures() == 1);
          CHECK(proxy.tunnels_opened() == 0);
          proxy.stop();
        });
      }
    }
  }
}

TEST_CASE("connect timeout against a proxy that accepts and never answers", "[transport][asio][proxy]") {
  for (auto type : {ProxyConfig::Type::kSocks5, ProxyConfig::Type::kHttpConnect}) {
    INFO((type == ProxyConfig::Type::kSocks5 ? "socks5" : "http"));
    auto started = std::chrono::steady_clock::now();
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      ProxyFixture silent(ex, ProxyFixture::Kind::kSilent);
      auto options = via(type, silent.port(), "127.0.0.1", 443);
      options.timeout = std::chrono::milliseconds(150);
      auto connection = co_await Connection::connect(ex, options);
      REQUIRE_FALSE(connection);
      CHECK(connection.error().code == kErrTimeout);
      CHECK(connection.error().type == "CONNECT_TIMEOUT");
      silent.stop();
    });
    // The timeout, not the 60 s safety net of run_loopback, ended the attempt.
    CHECK(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
  }
}

TEST_CASE("a proxy that cannot reach the target is PROXY_REFUSED", "[transport][asio][proxy]") {
  for (const ProxyCase& pc : kProxies) {
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      std::uint16_t dead_port;
      {
        tcp::acceptor closed(ex, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
        dead_port = closed.local_endpoint().port();
      }
      ProxyFixture proxy(ex, pc.fixture);
      auto connection = co_await Connection::connect(ex, via(pc.type, proxy.port(), "127.0.0.1", dead_port));
      REQUIRE_FALSE(connection);
      CHECK(connection.error().type == "PROXY_REFUSED");
      proxy.stop();
    });
  }
}
