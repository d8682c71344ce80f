// The awaitable Session against a tiny scripted MTProto server over loopback TCP: many coroutines
// in flight, answers out of order, a 1 MiB file part as a view, rpc_error, a dropped connection
// and a tampered answer (both: the calls still complete on a new connection).
#include <catch2/catch.hpp>

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/io_context.hpp>
#include <asio/redirect_error.hpp>
#include <asio/use_awaitable.hpp>

#include "session/session.hpp"
#include "session_test_support.hpp"
#include "tl/api.hpp"
#include "transport/connection.hpp"
#include "transport/server_connection.hpp"

using namespace session_test;
using namespace mtp::session;
namespace api = mtp::tl::api;
using asio::ip::tcp;

namespace {

struct Script {
  bool drop_first_connection = false;  // read the first packet, answer nothing, close
  bool tamper_first_answer = false;    // flip one byte of the first answer on connection 1
  bool silent_first_connection = false;  // connection 1 reads everything and answers nothing
  int pings = 0;
  int connections = 0;
  int requests = 0;
};

std::uint8_t part_byte(std::int64_t offset, std::size_t i) {
  return static_cast<std::uint8_t>((static_cast<std::size_t>(offset) + i) * 7 % 251);
}

Bytes answer_for(const ClientMessage& m) {
  auto req = tl::parse<api::upload_getFile>(m.body);
  if (!req.ok()) return ScriptedServer::rpc_error(m.msg_id, 400, "UNEXPECTED");
  if (req->offset == 999 * 4096) return ScriptedServer::rpc_error(m.msg_id, 420, "FLOOD_WAIT_17");
  Bytes data(static_cast<std::size_t>(req->limit));
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = part_byte(req->offset, i);
  return ScriptedServer::rpc_result(m.msg_id, tl::serialize(api::upload_file{api::storage_filePartial{}, 1, data}));
}

asio::awaitable<void> serve_connection(transport::ServerConnection conn, std::array<std::uint8_t, 256> key,
                                       Script& script, int number) {
  FakeClock clock;
  clock.now = std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch());
  std::optional<ScriptedServer> server;
  std::int32_t seq = 1;
  bool tampered = false;
  for (;;) {
    auto packet = co_await conn.receive();
    if (!packet) co_return;
    if (!server) {
      ScriptedServer probe(key, 0, clock);
      server.emplace(key, probe.open_bytes(packet->payload).session_id, clock);
    }
    ClientPacket in = server->open_bytes(packet->payload);
    if (script.drop_first_connection && number == 1) {
      conn.close();
      co_return;
    }
    for (const auto& m : in.messages)
      if (m.id() == tl::mt::ping_delay_disconnect::kId) ++script.pings;
    if (script.silent_first_connection && number == 1) continue;
    // Answer in reverse order, one packet each.
    for (auto it = in.messages.rbegin(); it != in.messages.rend(); ++it) {
      if (it->id() != api::upload_getFile::kId) continue;
      ++script.requests;
      Bytes sealed = server->seal(answer_for(*it), seq, 0, in.salt);
      seq += 2;
      if (script.tamper_first_answer && number == 1 && !tampered) {
        sealed[sealed.size() / 2] ^= 0x20;
        tampered = true;
      }
      transport::Frame frame = transport::Frame::copy_of(sealed);
      auto sent = co_await conn.send(frame);
      if (!sent) co_return;
    }
  }
}

asio::awaitable<void> serve(tcp::acceptor& acceptor, std::array<std::uint8_t, 256> key, Script& script) {
  for (;;) {
    auto [ec, socket] = co_await acceptor.async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;
    ++script.connections;
    asio::co_spawn(acceptor.get_executor(),
                   serve_connection(transport::ServerConnection(std::move(socket)), key, script, script.connections),
                   asio::detached);
  }
}

api::upload_getFile get_file(std::int64_t offset, std::int32_t limit) {
  api::upload_getFile req;
  req.location = api::inputDocumentFileLocation{5, 6, {}, ""};
  req.offset = offset;
  req.limit = limit;
  return req;
}

struct Loopback {
  asio::io_context io;
  tcp::acceptor acceptor{io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)};
  std::array<std::uint8_t, 256> key = test_auth_key(11);
  Script script;
  std::shared_ptr<Session> session;

  explicit Loopback(std::chrono::milliseconds keepalive = std::chrono::seconds(30)) {
    SessionDriverOptions options;
    options.keepalive = keepalive;
    options.session.random = mtp::crypto::seeded_random(12);
    options.request_timeout = std::chrono::seconds(20);
    transport::ConnectOptions connect;
    connect.host = "127.0.0.1";
    connect.port = acceptor.local_endpoint().port();
    auto ex = io.get_executor();
    session = Session::create(ex, key, options, [ex, connect]() -> asio::awaitable<Result<transport::PacketStream>> {
      auto c = co_await transport::Connection::connect(ex, connect);
      if (!c) co_return std::move(c).error();
      co_return transport::PacketStream(std::move(*c));
    });
    asio::co_spawn(io, serve(acceptor, key, script), asio::detached);
    session->start();
  }

  // Runs `body`, then stops the session and the server; returns when everything has wound down.
  template <class Body>
  void run(Body body) {
    bool finished = false;
    asio::co_spawn(io, body(), [&](std::exception_ptr e) {
      finished = true;
      session->stop();
      acceptor.close();
      if (e) std::rethrow_exception(e);
    });
    io.run_for(std::chrono::seconds(60));
    REQUIRE(finished);
    CHECK(io.stopped());
  }
};

// Issues `count` small file-part requests from as many coroutines and checks every answer.
asio::awaitable<void> many_parts(std::shared_ptr<Session> session, int count, int& ok) {
  auto ex = co_await asio::this_coro::executor;
  int done = 0;
  asio::steady_timer all_done(ex, asio::steady_timer::time_point::max());
  for (int i = 0; i < count; ++i) {
    asio::co_spawn(ex, [&, i]() -> asio::awaitable<void> {
      auto answer = co_await session->invoke(get_file(i * 4096, 64));
      if (answer.ok()) {
        const auto& file = answer->get<api::upload_file>();
        bool good = file.bytes.size() == 64;
        for (std::size_t k = 0; good && k < 64; ++k) good = file.bytes[k] == part_byte(i * 4096, k);
        if (good) ++ok;
      }
      if (++done == count) all_done.cancel();
    }, asio::detached);
  }
  std::error_code ec;
  co_await all_done.async_wait(asio::redirect_error(asio::use_awaitable, ec));
}

}  // namespace

TEST_CASE("Session: concurrent invokes, a 1 MiB part as a view, rpc_error", "[session][asio]") {
  Loopback lb;
  int ok = 0;
  std::size_t part_size = 0;
  bool part_matches = false;
  std::optional<Error> flood;
  lb.run([&]() -> asio::awaitable<void> {
    co_await many_parts(lb.session, 24, ok);
    auto status = co_await lb.session->invoke_file_part(get_file(1 << 20, 1 << 20), [&](const FilePartView& part) {
      part_size = part.bytes.size();
      part_matches = true;
      for (std::size_t i = 0; i < part.bytes.size(); i += 4093) part_matches &= part.bytes[i] == part_byte(1 << 20, i);
    });
    CHECK(status.ok());
    auto error = co_await lb.session->invoke(get_file(999 * 4096, 16));
    if (!error.ok()) flood = error.error();
  });
  CHECK(ok == 24);
  CHECK(part_size == (1u << 20));
  CHECK(part_matches);
  REQUIRE(flood.has_value());
  CHECK(flood->code == 420);
  CHECK(flood->type == "FLOOD_WAIT");
  CHECK(flood->value == 17);
  CHECK(lb.script.connections == 1);
}

TEST_CASE("Session: requests survive a dropped connection", "[session][asio]") {
  Loopback lb;
  lb.script.drop_first_connection = true;
  int ok = 0;
  lb.run([&]() -> asio::awaitable<void> { co_await many_parts(lb.session, 8, ok); });
  CHECK(ok == 8);
  CHECK(lb.script.connections == 2);
  CHECK(lb.session->connections_opened() == 2);
}

TEST_CASE("Session: a tampered answer drops the connection, the call completes on a new one", "[session][asio]") {
  Loopback lb;
  lb.script.tamper_first_answer = true;
  int ok = 0;
  lb.run([&]() -> asio::awaitable<void> { co_await many_parts(lb.session, 4, ok); });
  CHECK(ok == 4);
  CHECK(lb.script.connections == 2);
}

TEST_CASE("Session: a silent connection gets a keepalive ping, then is replaced", "[session][asio]") {
  // Connection 1 swallows everything; after one silent interval the session pings, after the
  // second it drops the connection and resends the waiting requests on a new one.
  Loopback lb(std::chrono::milliseconds(150));
  lb.script.silent_first_connection = true;
  int ok = 0;
  lb.run([&]() -> asio::awaitable<void> { co_await many_parts(lb.session, 3, ok); });
  CHECK(ok == 3);
  CHECK(lb.script.connections == 2);
  CHECK(lb.script.pings >= 1);
}
