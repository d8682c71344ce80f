// Acks, container packing limits, msg_id monotonicity, reconnects, detailed info, future salts.
#include <catch2/catch.hpp>

#include "session/ack_queue.hpp"
#include "session/client_session.hpp"
#include "session/outgoing_batch.hpp"
#include "session/salt_store.hpp"
#include "session_test_support.hpp"
#include "tl/api.hpp"

using namespace session_test;
using namespace mtp::session;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;

namespace {

constexpr std::int64_t kFlowSessionId = 0x0102030405060708;

struct Flow {
  FakeClock clock;
  std::array<std::uint8_t, 256> key = test_auth_key(3);
  SessionOptions opts;
  ClientSession client;
  ScriptedServer server;
  ClientSession::SteadyTime now{};

  static SessionOptions make(FakeClock& clock, bool future_salts) {
    SessionOptions o;
    o.clock = clock.fn();
    o.random = mtp::crypto::seeded_random(8);
    o.session_id = kFlowSessionId;
    o.request_future_salts = future_salts;
    return o;
  }
  explicit Flow(bool future_salts = false)
      : client(key, make(clock, future_salts)), server(key, kFlowSessionId, clock) {}

  std::optional<ClientPacket> poll() {
    auto frame = client.next_packet(now);
    REQUIRE(frame.ok());
    if (!frame->has_value()) return std::nullopt;
    return server.open(**frame);
  }
  void receive(Bytes& packet) { REQUIRE(client.on_packet(packet, now).ok()); }
};

std::vector<std::int64_t> ack_ids(const ClientMessage& m) {
  auto parsed = tl::parse<mt::MsgsAck>(m.body);
  REQUIRE(parsed.ok());
  return parsed->get<mt::msgs_ack>().msg_ids;
}

}  // namespace

TEST_CASE("acks: odd seqno messages are acked, acks and even seqno messages are not") {
  Flow f;
  const std::int64_t update = f.server.next_id(false);
  Bytes a = f.server.seal(f.server.obj(api::updatesTooLong{}), 1, update);
  f.receive(a);
  Bytes b = f.server.seal(f.server.obj(mt::msgs_ack{{4}}), 0);  // acks are never acked
  f.receive(b);
  CHECK(f.client.acks().size() == 1);
  // Not due yet: nothing goes out on its own.
  CHECK_FALSE(f.poll().has_value());
  // Piggybacked on the next request.
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.poll();
  REQUIRE(p.has_value());
  REQUIRE(p->messages.size() == 2);
  CHECK(p->messages[0].id() == mt::msgs_ack::kId);
  CHECK(ack_ids(p->messages[0]) == std::vector<std::int64_t>{update});
  CHECK(f.client.acks().empty());
}

TEST_CASE("acks go out alone after the delay or once enough are queued") {
  Flow f;
  Bytes a = f.server.seal(f.server.obj(api::updatesTooLong{}), 1);
  f.receive(a);
  CHECK_FALSE(f.poll().has_value());
  REQUIRE(f.client.ack_deadline().has_value());
  f.now = *f.client.ack_deadline();
  auto p = f.poll();
  REQUIRE(p.has_value());
  REQUIRE(p->messages.size() == 1);
  CHECK(p->messages[0].id() == mt::msgs_ack::kId);
  CHECK(p->seq_no % 2 == 0);

  for (int i = 0; i < 32; ++i) {
    Bytes u = f.server.seal(f.server.obj(api::updatesTooLong{}), 2 * i + 1);
    f.receive(u);
  }
  auto flushed = f.poll();  // the count threshold, no time passed
  REQUIRE(flushed.has_value());
  CHECK(ack_ids(flushed->messages[0]).size() == 32);
}

TEST_CASE("container packing: at most 1024 messages per packet") {
  Flow f;
  for (int i = 0; i < 1100; ++i) f.client.enqueue_request(api::help_getNearestDc{});
  auto first = f.poll();
  REQUIRE(first.has_value());
  CHECK(first->container);
  CHECK(first->messages.size() == 1024);
  auto second = f.poll();
  REQUIRE(second.has_value());
  CHECK(second->messages.size() == 76);
  CHECK_FALSE(f.poll().has_value());
  // Seqnos keep counting content messages across packets.
  CHECK(second->messages.back().seq_no == 2 * 1099 + 1);
}

TEST_CASE("container packing: the size bound and big payloads alone") {
  BatchLimits limits;
  SECTION("planner") {
    BatchPlanner p(limits);
    CHECK(p.try_add(100));
    CHECK(p.try_add(limits.alone_threshold - 1));
    CHECK_FALSE(p.try_add(limits.alone_threshold));  // big one waits for its own packet
    BatchPlanner big(limits);
    CHECK(big.try_add(1 << 20));
    CHECK_FALSE(big.try_add(4));
    BatchPlanner bounded(limits);
    std::size_t n = 0;
    while (bounded.try_add(60 * 1024)) ++n;
    CHECK(n == 8);  // 8 * (16 + 60 KiB) + 8 <= 512 KiB, a ninth does not fit
  }
  SECTION("session") {
    Flow f;
    api::upload_saveBigFilePart part;
    part.bytes = Bytes(1 << 20, 0xab);
    f.client.enqueue_request(api::help_getNearestDc{});
    f.client.enqueue_request(part);
    f.client.enqueue_request(api::help_getNearestDc{});
    auto a = f.poll();
    REQUIRE(a.has_value());
    CHECK(a->messages.size() == 1);
    auto b = f.poll();
    REQUIRE(b.has_value());
    CHECK_FALSE(b->container);
    CHECK(b->messages[0].id() == api::upload_saveBigFilePart::kId);
    CHECK(b->messages[0].body.size() > (1u << 20));
    auto c = f.poll();
    REQUIRE(c.has_value());
    CHECK(c->messages[0].id() == api::help_getNearestDc::kId);
  }
}

TEST_CASE("msg_ids stay monotonic across a clock step backwards and a resync") {
  Flow f;
  std::int64_t last = 0;
  for (int round = 0; round < 3; ++round) {
    for (int i = 0; i < 5; ++i) f.client.enqueue_request(api::help_getNearestDc{});
    auto p = f.poll();
    REQUIRE(p.has_value());
    for (const auto& m : p->messages) {
      CHECK(m.msg_id > last);
      CHECK(m.msg_id % 4 == 0);
      last = m.msg_id;
    }
    CHECK(p->msg_id > last);
    last = p->msg_id;
    f.clock.now -= 100s;  // the wall clock jumps backwards
  }
  f.client.message_ids().set_server_offset(-1000s);
  f.client.enqueue_request(api::help_getNearestDc{});
  CHECK(f.poll()->msg_id > last);
}

TEST_CASE("reconnect: unanswered requests are resent with new ids, answered ones are not") {
  Flow f;
  const RequestId a = f.client.enqueue_request(api::help_getNearestDc{});
  const RequestId b = f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.poll();
  REQUIRE(p->messages.size() == 2);
  Bytes answer = f.server.seal(f.server.rpc_result(p->messages[0].msg_id, f.server.obj(api::nearestDc{"Q", 1, 1})), 1);
  auto in = f.client.on_packet(answer, f.now);
  REQUIRE(in.ok());
  REQUIRE(in->answers.size() == 1);
  CHECK(in->answers[0].request == a);

  f.client.on_connection_lost();
  auto again = f.poll();
  REQUIRE(again.has_value());
  CHECK(again->session_id == kFlowSessionId);
  CHECK(again->find(mt::msgs_ack::kId) != nullptr);  // the answer's ack is still owed
  std::vector<const ClientMessage*> requests;
  for (const auto& m : again->messages)
    if (m.id() == api::help_getNearestDc::kId) requests.push_back(&m);
  REQUIRE(requests.size() == 1);
  CHECK(requests[0]->msg_id > p->msg_id);
  Bytes late = f.server.seal(f.server.rpc_result(requests[0]->msg_id, f.server.obj(api::nearestDc{"R", 1, 1})), 1);
  auto done = f.client.on_packet(late, f.now);
  REQUIRE(done.ok());
  REQUIRE(done->answers.size() == 1);
  CHECK(done->answers[0].request == b);
}

TEST_CASE("reconnect: the server's answer to the copy sent before the reconnect completes the request") {
  Flow f;
  const RequestId a = f.client.enqueue_request(api::help_getNearestDc{});
  auto before = f.poll();
  f.client.on_connection_lost();
  auto after = f.poll();
  REQUIRE(after.has_value());
  CHECK(after->msg_id != before->msg_id);
  Bytes old = f.server.seal(f.server.rpc_result(before->msg_id, f.server.obj(api::nearestDc{"O", 1, 1})), 1);
  auto in = f.client.on_packet(old, f.now);
  REQUIRE(in.ok());
  REQUIRE(in->answers.size() == 1);
  CHECK(in->answers[0].request == a);
  Bytes dup = f.server.seal(f.server.rpc_result(after->msg_id, f.server.obj(api::nearestDc{"O", 1, 1})), 1);
  auto second = f.client.on_packet(dup, f.now);
  REQUIRE(second.ok());
  CHECK(second->answers.empty());
}

TEST_CASE("msg_detailed_info: ack a received answer, ask again for a missing one") {
  Flow f;
  const std::int64_t seen = f.server.next_id();
  Bytes a = f.server.seal(f.server.obj(mt::msgs_ack{{8}}), 0, seen);
  f.receive(a);
  Bytes info = f.server.seal(f.server.container({{1, f.server.obj(mt::msg_detailed_info{4, seen, 10, 0})},
                                                 {3, f.server.obj(mt::msg_new_detailed_info{0x12345671, 10, 0})}}),
                             0);
  f.receive(info);
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.poll();
  REQUIRE(p.has_value());
  const ClientMessage* ask = p->find(mt::msg_resend_req::kId);
  REQUIRE(ask != nullptr);
  CHECK(ask->seq_no % 2 == 1);
  auto parsed = tl::parse<mt::MsgResendReq>(ask->body);
  REQUIRE(parsed.ok());
  CHECK(parsed->get<mt::msg_resend_req>().msg_ids == std::vector<std::int64_t>{0x12345671});
  const ClientMessage* ack = p->find(mt::msgs_ack::kId);
  REQUIRE(ack != nullptr);
  auto acked = ack_ids(*ack);
  CHECK(std::find(acked.begin(), acked.end(), seen) != acked.end());
}

TEST_CASE("future salts are requested, kept and used when the current salt expires") {
  Flow f(true);
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.poll();
  const ClientMessage* ask = p->find(mt::get_future_salts::kId);
  REQUIRE(ask != nullptr);
  const std::int32_t t = 1'700'000'000;
  mt::future_salts salts{ask->msg_id, t, {{t - 10, t + 1800, 111}, {t + 1800, t + 3600, 222}}};
  Bytes answer = f.server.seal(f.server.obj(salts), 0);
  auto in = f.client.on_packet(answer, f.now);
  REQUIRE(in.ok());
  CHECK(in->answers.empty());  // the session's own request
  CHECK(f.client.salts().future_count() == 2);
  f.client.enqueue_request(api::help_getNearestDc{});
  CHECK(f.poll()->salt == 111);
  f.clock.now += 1900s;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto later = f.poll();
  CHECK(later->salt == 222);
  CHECK(later->find(mt::get_future_salts::kId) != nullptr);  // running low: ask again
}

TEST_CASE("salt store picks the newest valid announced salt") {
  SaltStore s(5);
  CHECK(s.salt_for(100) == 5);
  CHECK(s.wants_more(100));
  s.add_future({{200, 300, 7}, {100, 250, 6}, {200, 300, 7}});
  CHECK(s.future_count() == 2);
  CHECK(s.salt_for(150) == 6);
  CHECK(s.salt_for(260) == 7);
  CHECK(s.future_count() == 1);
  CHECK(s.salt_for(400) == 7);  // nothing announced is valid: keep the last one
  s.set_current(9);
  CHECK(s.salt_for(400) == 9);
}

TEST_CASE("the first request of every connection is wrapped (invokeWithLayer/initConnection)") {
  FakeClock clock;
  auto key = test_auth_key(4);
  SessionOptions o = Flow::make(clock, false);
  o.wrap_first_request = [](ByteSpan request) {
    tl::Writer w;
    w.uint32(0xda9b0d0d);  // invokeWithLayer
    w.int32(228);
    w.raw(request);
    return w.take();
  };
  ClientSession client(key, o);
  ScriptedServer server(key, kFlowSessionId, clock);
  const ClientSession::SteadyTime now{};
  auto send = [&] {
    auto frame = client.next_packet(now);
    REQUIRE(frame.ok());
    REQUIRE(frame->has_value());
    return server.open(**frame);
  };
  const RequestId first = client.enqueue_request(api::help_getNearestDc{});
  auto a = send();
  CHECK(a.messages[0].id() == 0xda9b0d0d);
  client.enqueue_request(api::help_getNearestDc{});
  CHECK(send().messages[0].id() == api::help_getNearestDc::kId);
  // The wrapped request bounces: its resend is wrapped again.
  Bytes bad = server.seal(server.obj(mt::bad_server_salt{a.msg_id, a.seq_no, 48, 3}), 0);
  REQUIRE(client.on_packet(bad, now).ok());
  auto b = send();
  CHECK(b.messages[0].id() == 0xda9b0d0d);
  Bytes ok = server.seal(server.rpc_result(b.msg_id, server.obj(api::nearestDc{"Z", 1, 1})), 1);
  auto in = client.on_packet(ok, now);
  REQUIRE(in.ok());
  REQUIRE(in->answers.size() == 1);
  CHECK(in->answers[0].request == first);
  // A new connection: the next request carries the wrapper again.
  client.on_connection_lost();
  auto c = send();
  const ClientMessage* resent = c.find(0xda9b0d0d);
  CHECK(resent != nullptr);
}

TEST_CASE("keepalive pings are consumed by the session and not resent on a new connection") {
  Flow f;
  f.client.enqueue_ping(77);
  auto p = f.poll();
  REQUIRE(p.has_value());
  REQUIRE(p->messages[0].id() == mt::ping_delay_disconnect::kId);
  Bytes pong = f.server.seal(f.server.obj(mt::pong{p->msg_id, 77}), 1);
  auto in = f.client.on_packet(pong, f.now);
  REQUIRE(in.ok());
  CHECK(in->answers.empty());
  CHECK(f.client.pending_count() == 0);
  f.client.enqueue_ping(78);
  auto second = f.poll();
  REQUIRE(second.has_value());
  CHECK(second->find(mt::msgs_ack::kId) != nullptr);  // the pong's ack rode along
  f.client.on_connection_lost();
  CHECK(f.client.pending_count() == 0);
  CHECK_FALSE(f.poll().has_value());  // the unanswered ping is not resent
}
