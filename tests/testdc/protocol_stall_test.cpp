// The stall fault on the wire: after stall_after_bytes a connection keeps its socket open and
// sends nothing more (no answers, acks or pongs) and drops what it receives; a new connection has
// its own budget, and the session recovers on it with every answer it was owed.
// Silence can only be shown by waiting for it: the 300 ms receives below observe, they do not
// synchronise (everything runs on one io_context thread, so the server has long read and handled
// whatever was sent by then).
#include <catch2/catch.hpp>

#include <chrono>
#include <set>

#include "byte_sizes.hpp"
#include "protocol_harness.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace testdc;
using namespace testdc::testing;
using namespace std::chrono_literals;
using testdc::test::kKiB;

namespace {


// The connection has gone quiet: `window` passes with nothing received, and it is still open.
asio::awaitable<void> expect_silence(RawClient& c, std::chrono::milliseconds window = 300ms) {
  const std::size_t before = c.bytes_received();
  auto nothing = co_await c.receive(window);
  REQUIRE(nothing.ok());  // an error would mean the connection closed
  CHECK_FALSE(nothing->has_value());
  CHECK(c.bytes_received() == before);
}

// An rpc_result for each of `ids` arrives (several may share a packet: receive() rather than
// receive_result(), which would drop the others).
asio::awaitable<void> expect_answers(RawClient& c, const std::vector<std::int64_t>& ids) {
  std::set<std::int64_t> missing(ids.begin(), ids.end());
  while (!missing.empty()) {
    auto batch = co_await c.receive(10s);
    REQUIRE(batch.ok());
    REQUIRE(batch->has_value());
    for (const auto& m : **batch) {
      if (m.id != mtp::tl::kRpcResultId) continue;
      auto result = mtp::tl::parse_rpc_result(m.body);
      REQUIRE(result.ok());
      missing.erase(result->req_msg_id);
    }
  }
}

// `count` getFile calls of `limit` bytes (from `first` on) in one container; waits for each answer.
asio::awaitable<std::vector<std::int64_t>> fetch(RawClient& c, int count, std::int32_t limit, std::int64_t first = 0) {
  std::vector<mtp::Bytes> requests;
  for (int i = 0; i < count; ++i) requests.push_back(get_file_request(first + std::int64_t{i} * limit, limit));
  auto ids = co_await c.send_container(requests);
  REQUIRE(ids.ok());
  co_await expect_answers(c, *ids);
  co_return *ids;
}

}  // namespace

TEST_CASE("stall after N bytes: nothing more is sent, the socket stays open, the session recovers elsewhere") {
  Conditions conditions;
  conditions.stall_after_bytes = 1 << 20;
  conditions.stall_connections = 1;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    auto a = co_await dc.client();
    std::vector<mtp::Bytes> requests;
    for (int i = 0; i < 4; ++i) requests.push_back(get_file_request(std::int64_t{i} << 19, 512 * kKiB));
    auto ids = co_await a.send_container(requests);
    REQUIRE(ids.ok());
    while (a.bytes_received() < (1u << 20)) {
      auto batch = co_await a.receive(10s);
      REQUIRE(batch.ok());
      REQUIRE(batch->has_value());
    }
    // Silent right after the packet that reached 1 MiB (packets are never cut).
    CHECK(a.bytes_received() < (1u << 20) + (600u << 10));
    // A ping and a new request go unanswered, and the connection does not close.
    auto ping = co_await a.send(ping_request(7));
    REQUIRE(ping.ok());
    auto late = co_await a.send(get_file_request(4 << 19, 512 * kKiB));
    REQUIRE(late.ok());
    co_await expect_silence(a);
    CHECK(dc.state().log().count("stall") == 1);

    // The session on a new connection: every answer comes (those the client never acknowledged
    // again), past 1 MiB, since only the first connection stalls.
    auto b = co_await dc.client_with_key(a.key(), a.session_id());
    auto pong = co_await b.send(ping_request(8));
    REQUIRE(pong.ok());
    co_await expect_answers(b, *ids);
    CHECK(b.bytes_received() > (2u << 20));
    CHECK(dc.state().log().count("stall") == 1);
    // The request sent on the silent connection was dropped, never run.
    CHECK(dc.state().log().count("upload.getFile") == 4);
  });
}

TEST_CASE("stall_connections 0: every connection stalls after its own N bytes") {
  Conditions conditions;
  conditions.stall_after_bytes = 300'000;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    auto a = co_await dc.client();
    co_await fetch(a, 2, 128 * kKiB);  // 256 KiB and a little: under the threshold
    co_await fetch(a, 1, 128 * kKiB, 256 * kKiB);  // the packet that crosses it still arrives
    CHECK(a.bytes_received() >= 300'000u);
    auto ping = co_await a.send(ping_request(1));
    REQUIRE(ping.ok());
    co_await expect_silence(a);
    CHECK(dc.state().log().count("stall") == 1);

    // Another connection (a new key, a new session) starts from zero.
    auto b = co_await dc.client();
    co_await fetch(b, 2, 128 * kKiB);
    CHECK(dc.state().log().count("stall") == 1);
    co_await fetch(b, 1, 128 * kKiB, 256 * kKiB);
    auto ping_b = co_await b.send(ping_request(2));
    REQUIRE(ping_b.ok());
    co_await expect_silence(b);
    CHECK(dc.state().log().count("stall") == 2);
  });
}

TEST_CASE("stall_connections 2: the third connection past N bytes goes on") {
  Conditions conditions;
  conditions.stall_after_bytes = 100'000;
  conditions.stall_connections = 2;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    for (int i = 1; i <= 2; ++i) {
      auto c = co_await dc.client();
      co_await fetch(c, 1, 128 * kKiB);
      auto ping = co_await c.send(ping_request(i));
      REQUIRE(ping.ok());
      co_await expect_silence(c);
      CHECK(dc.state().log().count("stall") == static_cast<std::uint64_t>(i));
    }
    auto third = co_await dc.client();
    co_await fetch(third, 4, 128 * kKiB);  // 512 KiB, five times the threshold
    auto ping = co_await third.send(ping_request(3));
    REQUIRE(ping.ok());
    auto pong = co_await third.receive_until(mtp::tl::mt::pong::kId, 10s);
    REQUIRE(pong.ok());
    CHECK(dc.state().log().count("stall") == 2);
  });
}

TEST_CASE("without stall_after_bytes a connection never goes silent") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    co_await fetch(c, 8, 512 * kKiB);
    auto ping = co_await c.send(ping_request(1));
    REQUIRE(ping.ok());
    auto pong = co_await c.receive_until(mtp::tl::mt::pong::kId, 10s);
    REQUIRE(pong.ok());
    CHECK(dc.state().log().count("stall") == 0);
  });
}

TEST_CASE("manifest: conditions.stall_after_bytes and conditions.stall_connections") {
  auto world = load_manifest(R"({"conditions": {"stall_after_bytes": 4194304, "stall_connections": 1}})", ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.stall_after_bytes == 4194304);
  CHECK(world->conditions.stall_connections == 1);
  auto defaults = load_manifest("{}", ".");
  REQUIRE(defaults.ok());
  CHECK(defaults->conditions.stall_after_bytes == 0);
  CHECK(defaults->conditions.stall_connections == 0);
  for (const char* bad : {R"("stall_after_bytes": -1)", R"("stall_connections": -2)"}) {
    INFO(bad);
    auto refused = load_manifest(std::string(R"({"conditions": {)") + bad + "}}", ".");
    REQUIRE_FALSE(refused.ok());
    CHECK(refused.error().type == "MANIFEST_INVALID");
  }
}
