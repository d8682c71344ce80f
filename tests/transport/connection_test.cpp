// Loopback tests of the Asio layer: client Connection <-> ServerConnection on 127.0.0.1 ephemeral
// ports for every transport, 1 MiB packets, quick acks, transport errors, timeouts, closed peers.
#include <catch2/catch.hpp>

#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <random>

#include "loopback.hpp"
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

struct EchoLog {
  std::optional<TransportKind> kind;
  bool obfuscated = false;
  int echoed = 0;
  int quick_acks_requested = 0;
  std::optional<Error> end;
};

tcp::acceptor listen_on(asio::any_io_executor ex, const char* address = "127.0.0.1") {
  return tcp::acceptor(ex, tcp::endpoint(asio::ip::make_address(address), 0));
}

// Accepts one connection and echoes every packet until the client goes away.
asio::awaitable<void> echo_server(tcp::acceptor& acceptor, EchoLog& log) {
  auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
  REQUIRE_FALSE(ec);
  ServerConnection connection(std::move(socket));
  for (;;) {
    auto packet = co_await connection.receive();
    if (!packet) {
      log.end = packet.error();
      co_return;
    }
    log.kind = connection.transport();
    log.obfuscated = connection.obfuscated();
    if (packet->quick_ack_requested) {
      ++log.quick_acks_requested;
      Status acked = co_await connection.send_quick_ack(0x80000000u | static_cast<std::uint32_t>(log.echoed));
      REQUIRE(acked);
    }
    Frame reply = Frame::copy_of(packet->payload);
    Status sent = co_await connection.send(reply);
    REQUIRE(sent);
    ++log.echoed;
  }
}

void require_echo(TransportKind kind, const Bytes& sent, const Packet& got) {
  REQUIRE(got.type == Packet::Type::kData);
  if (kind == TransportKind::kPaddedIntermediate) {
    // Padding both ways: the echo carries the client's padding plus the server's.
    REQUIRE(got.payload.size() >= sent.size());
    REQUIRE(got.payload.size() <= sent.size() + 30);
    REQUIRE(std::equal(sent.begin(), sent.end(), got.payload.begin()));
  } else {
    REQUIRE(Bytes(got.payload.begin(), got.payload.end()) == sent);
  }
}

asio::awaitable<void> echo_client(asio::any_io_executor ex, ConnectOptions options, std::vector<std::size_t> sizes,
                                  std::uint64_t seed) {
  auto connection = co_await Connection::connect(ex, options);
  if (!connection) FAIL(connection.error().to_string());
  std::mt19937_64 rng(seed);
  for (std::size_t size : sizes) {
    Bytes payload = random_bytes(rng, size);
    Frame frame = Frame::copy_of(payload);
    Status sent = co_await connection->send(frame);
    REQUIRE(sent);
    auto reply = co_await connection->receive(std::chrono::seconds(10));
    if (!reply) FAIL(reply.error().to_string());
    require_echo(options.transport, payload, *reply);
  }
  connection->close();
}

ConnectOptions options_for(std::string host, std::uint16_t port, TransportKind kind, bool obfuscated) {
  ConnectOptions options;
  options.host = std::move(host);
  options.port = port;
  options.transport = kind;
  options.obfuscated = obfuscated;
  options.timeout = std::chrono::seconds(5);
  return options;
}

const std::vector<std::size_t> kSmall = {16, 32};
// No 4-byte payloads: to a client those are transport error codes (-404...), by protocol design.
// MTProto messages are at least 20 bytes (plain) or 24 (encrypted); shorter server packets mean
// transport errors or quick acks, so the echo never uses them.
const std::vector<std::size_t> kSizes = {24, 20, 1000, 64 * 1024 + 4, std::size_t{1} << 20, 28};

}  // namespace

TEST_CASE("loopback echo over every transport, with 1 MiB packets", "[transport][asio]") {
  struct Variant { TransportKind kind; bool obfuscated; };
  for (Variant v : {Variant{TransportKind::kAbridged, false}, Variant{TransportKind::kIntermediate, false},
                    Variant{TransportKind::kPaddedIntermediate, false}, Variant{TransportKind::kFull, false},
                    Variant{TransportKind::kAbridged, true}, Variant{TransportKind::kIntermediate, true},
                    Variant{TransportKind::kPaddedIntermediate, true}}) {
    INFO(to_string(v.kind) << (v.obfuscated ? " obfuscated" : ""));
    EchoLog log;
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto acceptor = listen_on(ex);
      auto options = options_for("127.0.0.1", acceptor.local_endpoint().port(), v.kind, v.obfuscated);
      co_await (echo_server(acceptor, log) && echo_client(ex, options, kSizes, 7));
    });
    CHECK(log.kind == v.kind);
    CHECK(log.obfuscated == v.obfuscated);
    CHECK(log.echoed == static_cast<int>(kSizes.size()));
    REQUIRE(log.end);
    CHECK(log.end->type == "CONNECTION_CLOSED");
  }
}

TEST_CASE("host names and IPv6 literals", "[transport][asio]") {
  SECTION("localhost") {
    EchoLog log;
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto acceptor = listen_on(ex);
      auto options = options_for("localhost", acceptor.local_endpoint().port(), TransportKind::kIntermediate, false);
      co_await (echo_server(acceptor, log) && echo_client(ex, options, kSmall, 1));
    });
    CHECK(log.echoed == 2);
  }
  SECTION("[::1]") {
    asio::io_context probe;
    asio::error_code ec;
    tcp::acceptor v6(probe);
    v6.open(tcp::v6(), ec);
    if (!ec) v6.bind(tcp::endpoint(asio::ip::make_address("::1"), 0), ec);
    if (ec) {
      WARN("no IPv6 loopback on this machine: " << ec.message());
      return;
    }
    v6.close();
    EchoLog log;
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto acceptor = listen_on(ex, "::1");
      auto options = options_for("[::1]", acceptor.local_endpoint().port(), TransportKind::kAbridged, true);
      co_await (echo_server(acceptor, log) && echo_client(ex, options, kSmall, 1));
    });
    CHECK(log.echoed == 2);
  }
}

TEST_CASE("quick acks and transport errors travel over the socket", "[transport][asio]") {
  for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate}) {
    INFO(to_string(kind));
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto acceptor = listen_on(ex);
      auto server = [&]() -> asio::awaitable<void> {
        auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
        ServerConnection connection(std::move(socket));
        auto packet = co_await connection.receive();
        REQUIRE(packet);
        CHECK(packet->quick_ack_requested);
        {
          auto step1 = co_await connection.send_quick_ack(0x8000BEEFu);
          REQUIRE(step1);
        }
        {
          auto step2 = co_await connection.send_transport_error(-404);
          REQUIRE(step2);
        }
        connection.close();
      };
      auto client = [&]() -> asio::awaitable<void> {
        auto connection = co_await Connection::connect(
            ex, options_for("127.0.0.1", acceptor.local_endpoint().port(), kind, true));
        REQUIRE(connection);
        Frame frame = Frame::copy_of(Bytes(24, 0x33));
        {
          auto step3 = co_await connection->send(frame, true);
          REQUIRE(step3);
        }
        auto ack = co_await connection->receive();
        REQUIRE(ack);
        CHECK(ack->type == Packet::Type::kQuickAck);
        CHECK(ack->quick_ack_token == 0x8000BEEFu);
        auto error = co_await connection->receive();
        REQUIRE(error);
        CHECK(error->type == Packet::Type::kTransportError);
        CHECK(error->error_code == -404);
        auto closed = co_await connection->receive();
        REQUIRE_FALSE(closed);
        CHECK(closed.error().type == "CONNECTION_CLOSED");
      };
      co_await (server() && client());
    });
  }
}

TEST_CASE("a receive timeout is an error value and leaves the stream usable", "[transport][asio]") {
  run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
    auto acceptor = listen_on(ex);
    auto server = [&]() -> asio::awaitable<void> {
      auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
      ServerConnection connection(std::move(socket));
      auto first = co_await connection.receive();  // not answered: the client times out
      REQUIRE(first);
      auto second = co_await connection.receive();
      REQUIRE(second);
      Frame reply = Frame::copy_of(second->payload);
      {
        auto step4 = co_await connection.send(reply);
        REQUIRE(step4);
      }
      auto end = co_await connection.receive();
      CHECK_FALSE(end);
    };
    auto client = [&]() -> asio::awaitable<void> {
      auto connection = co_await Connection::connect(
          ex, options_for("127.0.0.1", acceptor.local_endpoint().port(), TransportKind::kIntermediate, true));
      REQUIRE(connection);
      Frame first = Frame::copy_of(Bytes(8, 1));
      {
        auto step5 = co_await connection->send(first);
        REQUIRE(step5);
      }
      auto timed_out = co_await connection->receive(std::chrono::milliseconds(50));
      REQUIRE_FALSE(timed_out);
      CHECK(timed_out.error().code == kErrTimeout);
      Frame second = Frame::copy_of(Bytes(8, 2));
      {
        auto step6 = co_await connection->send(second);
        REQUIRE(step6);
      }
      auto reply = co_await connection->receive(std::chrono::seconds(10));
      REQUIRE(reply);
      CHECK(Bytes(reply->payload.begin(), reply->payload.end()) == Bytes(8, 2));
      connection->close();
    };
    co_await (server() && client());
  });
}

TEST_CASE("a peer closing mid-packet is an error value", "[transport][asio]") {
  run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
    auto acceptor = listen_on(ex);
    auto server = [&]() -> asio::awaitable<void> {
      auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
      ServerConnection connection(std::move(socket));
      {
        auto step7 = co_await connection.receive();
        REQUIRE(step7);
      }
      // Announce 100 bytes, deliver 10, hang up.
      Bytes partial = from_hex("64000000");
      partial.resize(14, 0xAA);
      auto [wec, n] = co_await asio::async_write(connection.socket(), asio::buffer(partial), as_tuple(use_awaitable));
      REQUIRE_FALSE(wec);
      connection.close();
    };
    auto client = [&]() -> asio::awaitable<void> {
      auto connection = co_await Connection::connect(
          ex, options_for("127.0.0.1", acceptor.local_endpoint().port(), TransportKind::kIntermediate, false));
      REQUIRE(connection);
      Frame frame = Frame::copy_of(Bytes(8, 1));
      {
        auto step8 = co_await connection->send(frame);
        REQUIRE(step8);
      }
      auto got = co_await connection->receive(std::chrono::seconds(10));
      REQUIRE_FALSE(got);
      CHECK(got.error().code == kErrNetwork);
      CHECK(got.error().type == "CONNECTION_CLOSED");
      CHECK_THAT(got.error().detail, Catch::Contains("middle of a packet"));
    };
    co_await (server() && client());
  });
}

TEST_CASE("servers reject garbage and short-then-closed streams without hanging", "[transport][asio]") {
  struct Case { std::string bytes; const char* type; };
  for (const Case& c : {Case{std::string(64, 'G'), "TRANSPORT_UNKNOWN"},
                        Case{std::string("GET / HTTP/1.1\r\nHost: x\r\n\r\n").append(40, 'x'), "TRANSPORT_UNSUPPORTED"},
                        Case{std::string("\x01\x02\x03", 3), "CONNECTION_CLOSED"}}) {
    INFO(c.type);
    run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
      auto acceptor = listen_on(ex);
      auto server = [&]() -> asio::awaitable<void> {
        auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
        ServerConnection connection(std::move(socket));
        auto got = co_await connection.receive(std::chrono::seconds(10));
        REQUIRE_FALSE(got);
        CHECK(got.error().type == c.type);
        CHECK_FALSE(connection.transport());
      };
      auto client = [&]() -> asio::awaitable<void> {
        tcp::socket raw(ex);
        co_await raw.async_connect(acceptor.local_endpoint(), use_awaitable);
        co_await asio::async_write(raw, asio::buffer(c.bytes), use_awaitable);
        raw.shutdown(tcp::socket::shutdown_send);
        char sink[16];
        co_await raw.async_read_some(asio::buffer(sink), as_tuple(use_awaitable));  // until the server closes
        raw.close();
      };
      co_await (server() && client());
    });
  }
}

TEST_CASE("connection refused is a CONNECT_FAILED error", "[transport][asio]") {
  run_loopback([&](asio::any_io_executor ex) -> asio::awaitable<void> {
    std::uint16_t port;
    {
      auto acceptor = listen_on(ex);
      port = acceptor.local_endpoint().port();
    }  // closed again: nothing listens there now
    auto connection = co_await Connection::connect(ex, options_for("127.0.0.1", port, TransportKind::kAbridged, false));
    REQUIRE_FALSE(connection);
    CHECK(connection.error().code == kErrNetwork);
    CHECK(connection.error().type == "CONNECT_FAILED");
  });
}
