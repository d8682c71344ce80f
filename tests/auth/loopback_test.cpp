// The client driver over a real TCP connection on 127.0.0.1 against a tiny server made of
// transport::ServerConnection + ServerHandshake, for plain and obfuscated transports; and the
// driver's error paths: a transport error from the server, and a server that never answers.
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/io_context.hpp>
#include <asio/use_awaitable.hpp>

#include "auth/client_handshake_driver.hpp"
#include "auth/plain_message.hpp"
#include "handshake_support.hpp"
#include "transport/connection.hpp"
#include "transport/server_connection.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;
using namespace asio::experimental::awaitable_operators;
using asio::experimental::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

enum class ServerMode { kNormal, kCorruptReqDhParams, kSilent };

struct ServerLog {
  std::optional<ServerAuthKey> key;
  std::optional<transport::TransportKind> kind;
  bool obfuscated = false;
  std::vector<std::int64_t> client_msg_ids;
  std::optional<std::int32_t> sent_error;
  std::optional<Error> end;  // how the connection ended when the handshake did not finish
};

asio::awaitable<void> handshake_server(tcp::acceptor& acceptor, ServerLog& log, ServerMode mode) {
  auto [ec, socket] = co_await acceptor.async_accept(as_tuple(use_awaitable));
  REQUIRE_FALSE(ec);
  transport::ServerConnection connection(std::move(socket));
  ServerHandshake handshake(server_key(), server_options(51));
  session::MessageIdGenerator ids(fixed_clock(1'700'000'042));
  while (!handshake.result()) {
    auto packet = co_await connection.receive(std::chrono::seconds(20));
    if (!packet) {
      log.end = packet.error();
      co_return;
    }
    log.kind = connection.transport();
    log.obfuscated = connection.obfuscated();
    if (mode == ServerMode::kSilent) continue;
    const std::size_t trailing = log.kind == transport::TransportKind::kPaddedIntermediate ? 15 : 0;
    auto message = decode_plain_message(packet->payload, trailing);
    REQUIRE(message);
    log.client_msg_ids.push_back(message->msg_id);
    Bytes body(message->body.begin(), message->body.end());
    if (mode == ServerMode::kCorruptReqDhParams && log.client_msg_ids.size() == 2) body[30] ^= 1;
    ServerAction action = handshake.on_message(body);
    if (action.kind == ServerAction::Kind::kTransportError) {
      Status sent = co_await connection.send_transport_error(action.error);
      REQUIRE(sent);
      log.sent_error = action.error;
      co_return;
    }
    transport::Frame frame = transport::Frame::copy_of(
        encode_plain_message(ids.next(session::MessageIdGenerator::Role::server_response), action.body));
    Status sent = co_await connection.send(frame);
    REQUIRE(sent);
  }
  log.key = handshake.result();
}

asio::awaitable<void> client(asio::any_io_executor ex, std::uint16_t port, transport::TransportKind kind,
                             bool obfuscated, std::chrono::milliseconds timeout,
                             std::optional<Result<AuthKeyResult>>& out) {
  transport::ConnectOptions options;
  options.host = "127.0.0.1";
  options.port = port;
  options.transport = kind;
  options.obfuscated = obfuscated;
  options.timeout = std::chrono::seconds(5);
  auto connection = co_await transport::Connection::connect(ex, options);
  if (!connection) {
    out.emplace(std::move(connection).error());
    co_return;
  }
  out.emplace(co_await create_auth_key(*connection, client_options(52, 10001), timeout));
  connection->close();
}

struct Run {
  ServerLog log;
  std::optional<Result<AuthKeyResult>> client;
};

Run run(ServerMode mode, transport::TransportKind kind, bool obfuscated,
        std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
  Run out;
  asio::io_context io;
  tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  const std::uint16_t port = acceptor.local_endpoint().port();
  std::exception_ptr failure;
  auto both = [&]() -> asio::awaitable<void> {
    co_await (handshake_server(acceptor, out.log, mode) &&
              client(io.get_executor(), port, kind, obfuscated, timeout, out.client));
  };
  asio::co_spawn(io, both(), [&](std::exception_ptr e) { failure = e; });
  io.run_for(std::chrono::seconds(60));  // a safety net; the exchange takes milliseconds
  if (failure) std::rethrow_exception(failure);
  REQUIRE(out.client);
  return out;
}

}  // namespace

TEST_CASE("loopback: the driver creates a key over intermediate and obfuscated transports", "[auth][loopback]") {
  struct Variant {
    transport::TransportKind kind;
    bool obfuscated;
  };
  for (Variant v : {Variant{transport::TransportKind::kIntermediate, false},
                    Variant{transport::TransportKind::kIntermediate, true},
                    Variant{transport::TransportKind::kPaddedIntermediate, true},
                    Variant{transport::TransportKind::kAbridged, false}}) {
    INFO(transport::to_string(v.kind) << (v.obfuscated ? " obfuscated" : ""));
    Run r = run(ServerMode::kNormal, v.kind, v.obfuscated);
    REQUIRE(*r.client);
    const AuthKeyResult& mine = **r.client;
    REQUIRE(r.log.key);
    CHECK(mine.auth_key == r.log.key->auth_key);
    CHECK(mine.auth_key_id == r.log.key->auth_key_id);
    CHECK(mine.server_salt == r.log.key->server_salt);
    CHECK(mine.server_time_offset == std::chrono::seconds(42));
    CHECK(r.log.key->dc_id == 10001);
    CHECK(r.log.kind == v.kind);
    CHECK(r.log.obfuscated == v.obfuscated);
    // Client msg_ids: divisible by 4 and strictly increasing.
    REQUIRE(r.log.client_msg_ids.size() == 3);
    for (std::size_t i = 0; i < r.log.client_msg_ids.size(); ++i) {
      CHECK(r.log.client_msg_ids[i] % 4 == 0);
      if (i > 0) CHECK(r.log.client_msg_ids[i] > r.log.client_msg_ids[i - 1]);
    }
  }
}

TEST_CASE("loopback: a transport error from the server is the driver's error", "[auth][loopback]") {
  Run r = run(ServerMode::kCorruptReqDhParams, transport::TransportKind::kIntermediate, true);
  REQUIRE_FALSE(*r.client);
  const Error& error = r.client->error();
  CHECK(error.code == kErrTransport);
  CHECK(error.value == -404);
  CHECK(r.log.sent_error == -404);
  CHECK_FALSE(r.log.key);
}

TEST_CASE("loopback: a server that never answers makes the driver time out", "[auth][loopback]") {
  Run r = run(ServerMode::kSilent, transport::TransportKind::kIntermediate, false, std::chrono::milliseconds(200));
  REQUIRE_FALSE(*r.client);
  CHECK(r.client->error().code == kErrTimeout);
  CHECK(r.client->error().type == "HANDSHAKE_TIMEOUT");
  CHECK(r.log.end);  // the server saw the client hang up
}
