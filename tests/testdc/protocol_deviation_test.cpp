// What Telegram tolerates although MTProto forbids it (seq_no parity): served and recorded as a
// deviation by default, refused with bad_msg_notification under --strict (Conditions::strict).
// Never co_await inside CHECK/REQUIRE: GCC evaluates such an expression more than once.
#include <catch2/catch.hpp>

#include "protocol_harness.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace testdc;
using namespace testdc::testing;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;
using namespace std::chrono_literals;

namespace {

struct ContainerReply {
  bool answered = false;             // the RPC's rpc_result arrived
  std::vector<std::int32_t> refusals;  // bad_msg_notification codes
  std::vector<std::int64_t> refused_ids;
};

// One container: two msgs_ack with odd seq_nos (as one widely used client sends them) and an RPC.
// Collects everything until the RPC is answered.
asio::awaitable<ContainerReply> acks_with_odd_seq_no(RawClient& c, std::vector<std::int64_t>& ack_ids) {
  const std::int64_t server_msg = 0x6000000000000001;  // an ack for a message never sent is harmless
  std::vector<mtp::Bytes> bodies{tl_bytes(mt::msgs_ack{{server_msg}}), tl_bytes(mt::msgs_ack{{server_msg + 4}}),
                                 tl_bytes(api::help_getNearestDc{})};
  std::vector<std::optional<std::int32_t>> seq{c.next_seq_no(true), c.next_seq_no(true), c.next_seq_no(true)};
  auto ids = co_await c.send_container(bodies, seq);
  REQUIRE(ids.ok());
  ack_ids = {(*ids)[0], (*ids)[1]};
  ContainerReply reply;
  while (!reply.answered) {
    auto batch = co_await c.receive(5s);
    REQUIRE(batch.ok());
    REQUIRE(batch->has_value());
    for (const auto& m : **batch) {
      if (m.id == mtp::tl::kRpcResultId) reply.answered = true;
      if (m.id == mt::bad_msg_notification::kId) {
        auto bad = mtp::tl::parse<mt::BadMsgNotification>(m.body);
        REQUIRE(bad.ok());
        reply.refusals.push_back(bad->get<mt::bad_msg_notification>().error_code);
        reply.refused_ids.push_back(bad->get<mt::bad_msg_notification>().bad_msg_id);
      }
    }
  }
  co_return reply;
}

}  // namespace

TEST_CASE("acks with odd seq_no in a container with an RPC: served, one deviation per ack") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    std::vector<std::int64_t> acks;
    const ContainerReply reply = co_await acks_with_odd_seq_no(c, acks);
    CHECK(reply.answered);
    CHECK(reply.refusals.empty());
    CHECK(dc.state().log().count("deviation") == 2);
    CHECK(dc.state().log().count("help.getNearestDc") == 1);
    CHECK(dc.state().log().count("bad_msg_notification") == 0);
    // The session goes on: the next message's order is judged as if the acks had been even.
    auto again = co_await c.send(tl_bytes(api::help_getNearestDc{}));
    REQUIRE(again.ok());
    auto result = co_await c.receive_result(*again, 5s);
    REQUIRE(result.ok());
    CHECK(dc.state().log().count("help.getNearestDc") == 2);
    CHECK(dc.state().log().count("deviation") == 2);
  });
}

TEST_CASE("strict mode: acks with odd seq_no get bad_msg_notification 34, the RPC beside them is served") {
  Conditions strict;
  strict.strict = true;
  InProcessDc dc(strict);
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    std::vector<std::int64_t> acks;
    const ContainerReply reply = co_await acks_with_odd_seq_no(c, acks);
    CHECK(reply.answered);
    CHECK(reply.refusals == std::vector<std::int32_t>{34, 34});
    CHECK(reply.refused_ids == acks);
    // Recorded both ways: as the deviation it is and as the refusal it got.
    CHECK(dc.state().log().count("deviation") == 2);
    CHECK(dc.state().log().count("bad_msg_notification") == 2);
  });
}

TEST_CASE("seq_no parity of a content message: even is served and recorded, --strict answers 35") {
  for (const bool strict : {false, true}) {
    INFO("strict " << strict);
    Conditions conditions;
    conditions.strict = strict;
    InProcessDc dc(conditions);
    dc.run([&]() -> asio::awaitable<void> {
      auto c = co_await dc.client();
      OutgoingOptions o;
      o.seq_no = c.next_seq_no(false);  // even, but a ping is content-related
      auto sent = co_await c.send(ping_request(2), o);
      REQUIRE(sent.ok());
      std::uint32_t expected = strict ? mt::bad_msg_notification::kId : mt::pong::kId;
      auto answer = co_await c.receive_until(expected, 5s);
      REQUIRE(answer.ok());
      if (strict) {
        auto bad = mtp::tl::parse<mt::BadMsgNotification>(answer->body);
        REQUIRE(bad.ok());
        CHECK(bad->get<mt::bad_msg_notification>().error_code == 35);
      }
      CHECK(dc.state().log().count("deviation") == 1);
    });
  }
}

TEST_CASE("seq_no order is enforced in both modes (Telegram enforces it): a reused odd seq_no gets 32") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    OutgoingOptions o;
    o.seq_no = c.next_seq_no(true);
    auto first = co_await c.send(ping_request(1), o);
    REQUIRE(first.ok());
    auto pong = co_await c.receive_until(mt::pong::kId, 5s);
    REQUIRE(pong.ok());
    auto second = co_await c.send(ping_request(2), o);  // the same odd seq_no again
    REQUIRE(second.ok());
    auto bad = co_await c.receive_until(mt::bad_msg_notification::kId, 5s);
    REQUIRE(bad.ok());
    auto parsed = mtp::tl::parse<mt::BadMsgNotification>(bad->body);
    REQUIRE(parsed.ok());
    CHECK(parsed->get<mt::bad_msg_notification>().error_code == 32);
    CHECK(dc.state().log().count("deviation") == 0);
  });
}
