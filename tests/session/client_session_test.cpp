#include <catch2/catch.hpp>

#include "session/client_session.hpp"
#include "session/rpc_result.hpp"
#include "session_test_support.hpp"
#include "tl/api.hpp"

using namespace session_test;
using namespace mtp::session;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;

namespace {

constexpr std::int64_t kClientSessionId = 0x1122334455667788;

struct Fixture {
  FakeClock clock;
  std::array<std::uint8_t, 256> key = test_auth_key();
  ClientSession client;
  ScriptedServer server;
  ClientSession::SteadyTime now{};

  static SessionOptions options(FakeClock& clock, bool future_salts) {
    SessionOptions o;
    o.initial_salt = 1;
    o.clock = clock.fn();
    o.random = mtp::crypto::seeded_random(5);
    o.session_id = kClientSessionId;
    o.request_future_salts = future_salts;
    return o;
  }
  explicit Fixture(bool future_salts = false)
      : client(key, options(clock, future_salts)), server(key, kClientSessionId, clock) {}

  ClientPacket send() {
    auto frame = client.next_packet(now);
    REQUIRE(frame.ok());
    REQUIRE(frame->has_value());
    return server.open(**frame);
  }
  bool nothing_to_send() {
    auto frame = client.next_packet(now);
    REQUIRE(frame.ok());
    return !frame->has_value();
  }
  Incoming receive(Bytes& packet) {
    auto in = client.on_packet(packet, now);
    if (!in.ok()) FAIL(in.error().to_string());
    return std::move(*in);
  }
};

api::upload_getFile get_file_request() {
  api::upload_getFile req;
  req.location = api::inputDocumentFileLocation{1, 2, {}, ""};
  req.limit = 1 << 20;
  return req;
}

}  // namespace

TEST_CASE("a new session sends its request alone with the session id, salt and an odd seqno") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  CHECK(p.session_id == kClientSessionId);
  CHECK(p.salt == 1);
  CHECK_FALSE(p.container);
  REQUIRE(p.messages.size() == 1);
  CHECK(p.messages[0].id() == api::help_getNearestDc::kId);
  CHECK(p.seq_no == 1);
  CHECK(p.msg_id % 4 == 0);
  CHECK(f.nothing_to_send());
}

TEST_CASE("rpc_result delivers the typed answer and is acked") {
  Fixture f;
  const RequestId id = f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  Bytes packet = f.server.seal(f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"NL", 2, 4})), 1);
  auto in = f.receive(packet);
  REQUIRE(in.answers.size() == 1);
  CHECK(in.answers[0].request == id);
  REQUIRE(in.answers[0].body.ok());
  auto dc = decode_answer<api::NearestDc>(*in.answers[0].body);
  REQUIRE(dc.ok());
  CHECK(dc->get<api::nearestDc>().nearest_dc == 4);
  CHECK(f.client.pending_count() == 0);
  CHECK(f.client.acks().size() == 1);
}

TEST_CASE("upload.file answers are views into the receive buffer") {
  Fixture f;
  f.client.enqueue_request(get_file_request());
  auto p = f.send();
  Bytes data(1 << 20);
  for (std::size_t i = 0; i < data.size(); ++i) data[i] = static_cast<std::uint8_t>(i * 31);
  Bytes packet = f.server.seal(f.server.rpc_result(p.msg_id, f.server.obj(api::upload_file{api::storage_filePartial{}, 77, data})), 1);
  auto in = f.receive(packet);
  REQUIRE(in.answers.size() == 1);
  REQUIRE(in.answers[0].body.ok());
  auto part = view_file_part(*in.answers[0].body);
  REQUIRE(part.ok());
  CHECK(part->mtime == 77);
  CHECK(part->file_type_id == api::storage_filePartial::kId);
  CHECK(part->bytes.size() == data.size());
  CHECK(std::equal(data.begin(), data.end(), part->bytes.begin()));
  // Zero copy: the view points inside the packet buffer that was decrypted in place.
  CHECK(part->bytes.data() >= packet.data());
  CHECK(part->bytes.data() + part->bytes.size() <= packet.data() + packet.size());
}

TEST_CASE("rpc_error becomes an Error with Telegram's code, type and value") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  Bytes packet = f.server.seal(f.server.rpc_error(p.msg_id, 420, "FLOOD_WAIT_17"), 1);
  auto in = f.receive(packet);
  REQUIRE(in.answers.size() == 1);
  REQUIRE_FALSE(in.answers[0].body.ok());
  const auto& e = in.answers[0].body.error();
  CHECK(e.code == 420);
  CHECK(e.type == "FLOOD_WAIT");
  CHECK(e.value == 17);
}

TEST_CASE("gzip_packed answers are inflated, bombs past the cap fail the request only") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  REQUIRE(p.messages.size() == 2);
  tl::Writer gz;
  tl::write_gzip_packed(gz, f.server.obj(api::nearestDc{"DE", 2, 5}));
  tl::Writer bomb;
  tl::write_gzip_packed(bomb, Bytes(32u << 20, 0));
  Bytes packet = f.server.seal(f.server.container({{1, f.server.rpc_result(p.messages[0].msg_id, gz.payload())},
                                                   {3, f.server.rpc_result(p.messages[1].msg_id, bomb.payload())}}),
                               0);
  auto in = f.receive(packet);
  REQUIRE(in.answers.size() == 2);
  REQUIRE(in.answers[0].body.ok());
  auto dc = decode_answer<api::NearestDc>(*in.answers[0].body);
  REQUIRE(dc.ok());
  CHECK(dc->get<api::nearestDc>().country == "DE");
  REQUIRE_FALSE(in.answers[1].body.ok());
  CHECK(in.answers[1].body.error().type == "TL_GZIP_TOO_LARGE");
}

TEST_CASE("a container with results, new_session_created and msgs_ack") {
  Fixture f;
  std::vector<RequestId> ids;
  for (int i = 0; i < 3; ++i) ids.push_back(f.client.enqueue_request(api::help_getNearestDc{}));
  auto p = f.send();
  REQUIRE(p.container);
  REQUIRE(p.messages.size() == 3);
  for (const auto& m : p.messages) CHECK(m.msg_id < p.msg_id);  // container id is the largest
  CHECK(p.messages[0].seq_no == 1);
  CHECK(p.messages[1].seq_no == 3);
  CHECK(p.messages[2].seq_no == 5);
  CHECK(p.seq_no == 6);  // the container itself is not content-related

  std::vector<std::int64_t> server_ids;
  Bytes packet = f.server.seal(
      f.server.container({{1, f.server.obj(mt::new_session_created{p.messages[0].msg_id, 42, 0x5a17})},
                          {2, f.server.obj(mt::msgs_ack{{p.messages[2].msg_id}})},
                          {3, f.server.rpc_result(p.messages[1].msg_id, f.server.obj(api::nearestDc{"A", 1, 1}))},
                          {5, f.server.rpc_result(p.messages[0].msg_id, f.server.obj(api::nearestDc{"B", 1, 2}))}},
                         &server_ids),
      0);
  auto in = f.receive(packet);
  CHECK(in.new_session);
  REQUIRE(in.answers.size() == 2);
  CHECK(in.answers[0].request == ids[1]);
  CHECK(in.answers[1].request == ids[0]);
  CHECK(f.client.pending().find(ids[2])->acked);

  // The next packet carries the new salt and acks exactly the odd-seqno messages.
  f.client.enqueue_request(api::help_getNearestDc{});
  auto next = f.send();
  CHECK(next.salt == 0x5a17);
  const ClientMessage* ack = next.find(mt::msgs_ack::kId);
  REQUIRE(ack != nullptr);
  CHECK(ack->seq_no % 2 == 0);
  auto acked = tl::parse<mt::MsgsAck>(ack->body);
  REQUIRE(acked.ok());
  std::vector<std::int64_t> expected{server_ids[0], server_ids[2], server_ids[3]};
  CHECK(acked->get<mt::msgs_ack>().msg_ids == expected);
}

TEST_CASE("bad_server_salt: the request is resent once with the new salt, then succeeds") {
  Fixture f;
  const RequestId id = f.client.enqueue_request(api::help_getNearestDc{});
  auto first = f.send();
  Bytes bad = f.server.seal(f.server.obj(mt::bad_server_salt{first.msg_id, first.seq_no, 48, 0x7777}), 0);
  auto in = f.receive(bad);
  CHECK(in.answers.empty());
  auto second = f.send();
  CHECK(second.salt == 0x7777);
  REQUIRE(second.messages.size() == 1);
  CHECK(second.messages[0].id() == api::help_getNearestDc::kId);
  CHECK(second.messages[0].msg_id > first.msg_id);
  CHECK(f.nothing_to_send());  // exactly one resend
  // An answer to either copy completes the request exactly once.
  Bytes late = f.server.seal(f.server.rpc_result(first.msg_id, f.server.obj(api::nearestDc{"X", 1, 1})), 1);
  auto done = f.receive(late);
  REQUIRE(done.answers.size() == 1);
  CHECK(done.answers[0].request == id);
  CHECK(done.answers[0].body.ok());
  Bytes again = f.server.seal(f.server.rpc_result(second.msg_id, f.server.obj(api::nearestDc{"Y", 1, 1})), 1);
  CHECK(f.receive(again).answers.empty());
  CHECK(f.client.pending_count() == 0);
}

TEST_CASE("bad_msg_notification 16: resync with the server's clock and resend with a new id") {
  Fixture f;
  f.server.set_offset(40s);
  f.client.enqueue_request(api::help_getNearestDc{});
  auto first = f.send();
  CHECK(msg_id_unixtime(first.msg_id) == 1'700'000'000);
  Bytes bad = f.server.seal(f.server.obj(mt::bad_msg_notification{first.msg_id, first.seq_no, 16}), 0,
                            f.server.next_id(false));
  f.receive(bad);
  auto second = f.send();
  CHECK(msg_id_unixtime(second.msg_id) == 1'700'000'040);
  CHECK(second.msg_id % 4 == 0);
  // New ids keep the server's time as the local clock advances.
  f.clock.now += 5s;
  f.client.enqueue_request(api::help_getNearestDc{});
  CHECK(msg_id_unixtime(f.send().msg_id) == 1'700'000'045);
}

TEST_CASE("bad_msg_notification 32/33 correct the seqno and resend") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto first = f.send();
  CHECK(first.seq_no == 1);
  Bytes low = f.server.seal(f.server.obj(mt::bad_msg_notification{first.msg_id, first.seq_no, 32}), 0);
  f.receive(low);
  auto second = f.send();
  CHECK(second.seq_no == 3 + 64);  // one content message sent before, plus the correction
  Bytes high = f.server.seal(f.server.obj(mt::bad_msg_notification{second.msg_id, second.seq_no, 33}), 0);
  f.receive(high);
  auto third = f.send();
  CHECK(third.seq_no == 5 + 64 - 16);
  CHECK(third.messages[0].id() == api::help_getNearestDc::kId);
}

TEST_CASE("other bad_msg_notification codes fail the request with a clear error") {
  Fixture f;
  const RequestId id = f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  Bytes bad = f.server.seal(f.server.obj(mt::bad_msg_notification{p.msg_id, p.seq_no, 20}), 0);
  auto in = f.receive(bad);
  REQUIRE(in.answers.size() == 1);
  CHECK(in.answers[0].request == id);
  REQUIRE_FALSE(in.answers[0].body.ok());
  CHECK(in.answers[0].body.error().type == "BAD_MSG_NOTIFICATION");
  CHECK(in.answers[0].body.error().value == 20);
  CHECK(f.client.pending_count() == 0);
}

TEST_CASE("a request bounced forever fails with RESEND_LIMIT") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  int resent = 0;
  for (;;) {
    auto frame = f.client.next_packet(f.now);
    REQUIRE(frame.ok());
    if (!frame->has_value()) break;
    auto p = f.server.open(**frame);
    Bytes bad = f.server.seal(f.server.obj(mt::bad_server_salt{p.msg_id, p.seq_no, 48, 9}), 0);
    auto in = f.receive(bad);
    if (!in.answers.empty()) {
      CHECK(in.answers[0].body.error().type == "RESEND_LIMIT");
      break;
    }
    ++resent;
    REQUIRE(resent < 20);
  }
  CHECK(resent == 4);
}

TEST_CASE("connection-fatal checks: msg_key, session id, msg_id parity") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  Bytes answer = f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"N", 1, 1}));

  SECTION("one flipped byte") {
    Bytes packet = f.server.seal(answer, 1);
    packet[40] ^= 1;
    auto in = f.client.on_packet(packet, f.now);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().code == kErrSecurity);
  }
  SECTION("another session") {
    f.server.set_session_id(kClientSessionId + 1);
    Bytes packet = f.server.seal(answer, 1);
    auto in = f.client.on_packet(packet, f.now);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().type == "WRONG_SESSION_ID");
  }
  SECTION("even server msg_id") {
    Bytes packet = f.server.seal(answer, 1, f.server.next_id() & ~std::int64_t{3});
    auto in = f.client.on_packet(packet, f.now);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().type == "BAD_SERVER_MSG_ID");
  }
  SECTION("malformed service message") {
    Bytes truncated = f.server.obj(mt::bad_server_salt{p.msg_id, 1, 48, 5});
    truncated.resize(12);
    Bytes packet = f.server.seal(truncated, 0);
    auto in = f.client.on_packet(packet, f.now);
    REQUIRE_FALSE(in.ok());
    CHECK(in.error().code == kErrMalformed);
  }
}

// MTProto security guidelines: a repeated msg_id is ignored (not connection-fatal: a replay must
// not be able to end the connection either), and acknowledged again when it has content.
TEST_CASE("a repeated server msg_id is ignored, alone or inside a container") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  const std::int64_t id = f.server.next_id();
  Bytes first = f.server.seal(f.server.obj(mt::msgs_ack{{1}}), 0, id);
  REQUIRE(f.client.on_packet(first, f.now).ok());
  Bytes again = f.server.seal(f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"N", 1, 1})), 1, id);
  auto in = f.receive(again);
  CHECK(in.answers.empty());
  CHECK(f.client.pending_count() == 1);  // the answer under a used msg_id was not taken
  std::vector<std::int64_t> ids;
  Bytes real = f.server.seal(f.server.container({{1, f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"R", 1, 2}))}}, &ids), 0);
  Bytes copy = real;  // on_packet decrypts in place
  auto answered = f.receive(real);
  REQUIRE(answered.answers.size() == 1);
  // The same container again: nothing is delivered twice.
  auto replayed = f.receive(copy);
  CHECK(replayed.answers.empty());
}

TEST_CASE("server msg_ids over 300 s old or 30 s ahead are ignored once the server's time is known") {
  Fixture f;
  f.client.enqueue_request(api::help_getNearestDc{});
  auto p = f.send();
  const std::int64_t now_s = 1'700'000'000;
  auto at = [](std::int64_t seconds) { return (seconds << 32) | 1; };
  auto decoy = [&](std::int64_t seconds) {
    return f.server.seal(f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"WRONG", 9, 9})), 1, at(seconds));
  };
  SECTION("before new_session_created (a stored offset may be stale), no window applies") {
    Bytes old = decoy(now_s - 301);
    CHECK(f.receive(old).answers.size() == 1);
  }
  SECTION("after new_session_created") {
    Bytes created = f.server.seal(f.server.obj(mt::new_session_created{p.msg_id, 42, 7}), 1);
    REQUIRE(f.client.on_packet(created, f.now).ok());
    Bytes old = decoy(now_s - 301);
    CHECK(f.receive(old).answers.empty());
    Bytes ahead = decoy(now_s + 31);
    CHECK(f.receive(ahead).answers.empty());
    CHECK(f.client.pending_count() == 1);
    Bytes in_time = f.server.seal(f.server.rpc_result(p.msg_id, f.server.obj(api::nearestDc{"R", 1, 2})), 1, at(now_s - 299));
    CHECK(f.receive(in_time).answers.size() == 1);
  }
}
