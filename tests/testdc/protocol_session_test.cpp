// The test DC's session layer driven by hand-built messages over real connections (in-process
// server, real handshake): msg_key, msg_id, salt, seq_no and container rules, service messages,
// unknown methods, truncated packets and resending unacknowledged answers on a new connection.
// Never co_await inside CHECK/REQUIRE: GCC evaluates such an expression more than once.
#include <catch2/catch.hpp>

#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>

#include "auth/plain_message.hpp"
#include "protocol_harness.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace testdc;
using namespace testdc::testing;
namespace mt = mtp::tl::mt;
namespace api = mtp::tl::api;
using namespace std::chrono_literals;

namespace {

template <class T>
T parse_body(const ServerMessage& m) {
  auto parsed = mtp::tl::parse<typename T::Boxed>(m.body);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->template is<T>());
  return parsed->template get<T>();
}

// Sends a ping and returns the pong's ping_id, failing the test if something else answers.
asio::awaitable<std::int64_t> ping_pong(RawClient& c, std::int64_t ping_id) {
  auto sent = co_await c.send(ping_request(ping_id));
  REQUIRE(sent.ok());
  auto pong = co_await c.receive_until(mt::pong::kId, 5s);
  REQUIRE(pong.ok());
  co_return parse_body<mt::pong>(*pong).ping_id;
}

}  // namespace

TEST_CASE("handshake, then ping: new_session_created and pong") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    CHECK(dc.state().keys().contains(c.key().auth_key_id));
    auto sent = co_await c.send(ping_request(77));
    REQUIRE(sent.ok());
    std::vector<ServerMessage> before;
    auto pong = co_await c.receive_until(mt::pong::kId, 5s, &before);
    REQUIRE(pong.ok());
    CHECK(parse_body<mt::pong>(*pong).ping_id == 77);
    CHECK(parse_body<mt::pong>(*pong).msg_id == *sent);
    bool created = false;
    for (const auto& m : before) created = created || m.id == mt::new_session_created::kId;
    CHECK(created);
    CHECK(pong->msg_id % 4 == 1);
  });
}

TEST_CASE("a wrong msg_key is dropped silently, the next ping is answered") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    OutgoingOptions broken;
    broken.corrupt_msg_key = true;
    auto step1 = co_await c.send(ping_request(1), broken);
    REQUIRE(step1.ok());
    // Only the second ping's answer may come back.
    std::vector<ServerMessage> seen;
    auto step2 = co_await c.send(ping_request(2));
    REQUIRE(step2.ok());
    auto pong = co_await c.receive_until(mt::pong::kId, 5s, &seen);
    REQUIRE(pong.ok());
    CHECK(parse_body<mt::pong>(*pong).ping_id == 2);
    for (const auto& m : seen) CHECK(m.id != mt::pong::kId);
    auto more = co_await c.receive(300ms);
    REQUIRE(more.ok());
    if (*more) {
      for (const auto& m : **more) CHECK(m.id != mt::pong::kId);
    }
  });
}

TEST_CASE("a truncated encrypted packet is dropped, the connection keeps working") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    OutgoingOptions cut;
    cut.truncate_by = 5;
    auto step3 = co_await c.send(ping_request(1), cut);
    REQUIRE(step3.ok());
    auto step4 = co_await ping_pong(c, 9);
    CHECK(step4 == 9);
  });
}

TEST_CASE("a stale msg_id gets bad_msg_notification 16, a far-future one 17, a bad parity 18") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    const std::int64_t now_id = c.next_msg_id();
    const std::int64_t stale = now_id - (std::int64_t{400} << 32);
    const std::int64_t future = now_id + (std::int64_t{60} << 32);
    const std::pair<std::int64_t, int> cases[] = {{stale, 16}, {future, 17}, {c.next_msg_id() + 1, 18}};
    for (const auto& [id, code] : cases) {
      OutgoingOptions o;
      o.msg_id = id & (code == 18 ? ~std::int64_t{0} : ~std::int64_t{3});
      auto step5 = co_await c.send(ping_request(5), o);
      REQUIRE(step5.ok());
      auto bad = co_await c.receive_until(mt::bad_msg_notification::kId, 5s);
      REQUIRE(bad.ok());
      auto note = parse_body<mt::bad_msg_notification>(*bad);
      CHECK(note.error_code == code);
      CHECK(note.bad_msg_id == *o.msg_id);
    }
    auto step6 = co_await ping_pong(c, 6);
    CHECK(step6 == 6);
  });
}

TEST_CASE("a wrong salt gets bad_server_salt, the retry with the new salt succeeds") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    c.set_salt(c.salt() ^ 0x5a5a5a5a);
    auto sent = co_await c.send(ping_request(3));
    REQUIRE(sent.ok());
    auto bad = co_await c.receive_until(mt::bad_server_salt::kId, 5s);
    REQUIRE(bad.ok());
    auto note = parse_body<mt::bad_server_salt>(*bad);
    CHECK(note.error_code == 48);
    CHECK(note.bad_msg_id == *sent);
    c.set_salt(note.new_server_salt);
    auto step9 = co_await ping_pong(c, 4);
    CHECK(step9 == 4);
  });
}

TEST_CASE("containers in and out: two pings in one container, acks batched with results") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    std::vector<mtp::Bytes> bodies;
    bodies.push_back(ping_request(10));
    bodies.push_back(ping_request(11));
    bodies.push_back(get_file_request(0, 4096));
    auto ids = co_await c.send_container(bodies);
    REQUIRE(ids.ok());
    std::vector<std::int64_t> pongs;
    bool acked = false, answered = false, in_container = false;
    while (!(answered && pongs.size() == 2)) {
      auto batch = co_await c.receive(5s);
      REQUIRE(batch.ok());
      REQUIRE(batch->has_value());
      for (const auto& m : **batch) {
        in_container = in_container || m.in_container;
        if (m.id == mt::pong::kId) pongs.push_back(parse_body<mt::pong>(m).ping_id);
        if (m.id == mt::msgs_ack::kId) acked = true;
        if (m.id == mtp::tl::kRpcResultId) answered = true;
      }
    }
    const std::vector<std::int64_t> expected{10, 11};
    CHECK(pongs == expected);
    CHECK(acked);
    CHECK(in_container);
  });
}

TEST_CASE("a malformed container gets bad_msg_notification 64") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    mtp::tl::Writer w;
    w.uint32(mtp::tl::kMsgContainerId);
    w.uint32(1);
    w.int64(c.next_msg_id());
    w.int32(1);
    w.int32(4000);  // longer than the rest
    w.uint32(mt::ping::kId);
    OutgoingOptions o;
    o.content_related = false;
    auto step10 = co_await c.send(w.payload(), o);
    REQUIRE(step10.ok());
    auto bad = co_await c.receive_until(mt::bad_msg_notification::kId, 5s);
    REQUIRE(bad.ok());
    CHECK(parse_body<mt::bad_msg_notification>(*bad).error_code == 64);
    auto step11 = co_await ping_pong(c, 1);
    CHECK(step11 == 1);
  });
}

TEST_CASE("an unknown method gets a 400 rpc_error and the connection stays up") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    mtp::tl::Writer w;
    w.uint32(0x0badc0de);
    w.int32(1);
    auto sent = co_await c.send(w.payload());
    REQUIRE(sent.ok());
    auto result = co_await c.receive_result(*sent, 5s);
    REQUIRE(result.ok());
    auto error = mtp::tl::parse<mt::RpcError>(*result);
    REQUIRE(error.ok());
    CHECK(error->get<mt::rpc_error>().error_code == 400);
    auto step12 = co_await ping_pong(c, 2);
    CHECK(step12 == 2);
    CHECK(dc.state().log().count("unknown#0badc0de") == 1);
  });
}

TEST_CASE("unknown auth key: transport error -404") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    mtp::auth::AuthKeyResult made_up = c.key();
    made_up.auth_key[0] ^= 1;
    made_up.auth_key_id ^= 1;
    auto other = co_await dc.client_with_key(made_up);
    auto step13 = co_await other.send(ping_request(1));
    REQUIRE(step13.ok());
    auto answer = co_await other.receive(5s);
    REQUIRE_FALSE(answer.ok());
    CHECK(answer.error().detail == "-404");
  });
}

TEST_CASE("get_future_salts, destroy_session and invokeWithLayer remembered on the key") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    auto step14 = co_await c.send(tl_bytes(mt::get_future_salts{3}));
    REQUIRE(step14.ok());
    auto salts = co_await c.receive_until(mt::future_salts::kId, 5s);
    REQUIRE(salts.ok());
    auto list = parse_body<mt::future_salts>(*salts);
    REQUIRE(list.salts.size() == 3);
    // The first future salt is accepted now.
    c.set_salt(list.salts[0].salt);
    auto step15 = co_await ping_pong(c, 1);
    CHECK(step15 == 1);

    api::invokeWithLayer<api::help_getNearestDc> wrapped;
    wrapped.layer = 144;
    auto sent = co_await c.send(tl_bytes(wrapped));
    REQUIRE(sent.ok());
    auto step16 = co_await c.receive_result(*sent, 5s);
    REQUIRE(step16.ok());
    CHECK(dc.state().keys().find(c.key().auth_key_id)->layer == 144);

    auto second = co_await dc.client_with_key(c.key());
    auto step17 = co_await ping_pong(second, 2);
    CHECK(step17 == 2);
    auto step18 = co_await second.send(tl_bytes(mt::destroy_session{c.session_id()}));
    REQUIRE(step18.ok());
    auto destroyed = co_await second.receive_until(mt::destroy_session_ok::kId, 5s);
    REQUIRE(destroyed.ok());
    CHECK(dc.core().find_session(c.key().auth_key_id, c.session_id()) == nullptr);
  });
}

TEST_CASE("answers not acknowledged are sent again when the session returns on a new connection") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    auto sent = co_await c.send(get_file_request(0, 64 * 1024));
    REQUIRE(sent.ok());
    auto first = co_await c.receive_result(*sent, 5s);
    REQUIRE(first.ok());
    c.close();  // never acknowledged

    auto again = co_await dc.client_with_key(c.key(), c.session_id());
    auto step19 = co_await again.send(ping_request(1));
    REQUIRE(step19.ok());
    auto resent = co_await again.receive_result(*sent, 5s);
    REQUIRE(resent.ok());
    CHECK(*resent == *first);
  });
}

TEST_CASE("every transport, obfuscated too, reaches the same session layer") {
  using mtp::transport::TransportKind;
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto first = co_await dc.client();
    for (auto kind : {TransportKind::kAbridged, TransportKind::kIntermediate, TransportKind::kPaddedIntermediate,
                      TransportKind::kFull}) {
      for (bool obfuscated : {false, true}) {
        if (obfuscated && kind == TransportKind::kFull) continue;  // full is never obfuscated
        auto c = co_await RawClient::connect(dc.io().get_executor(), "127.0.0.1", dc.port(2), kind, obfuscated);
        REQUIRE(c.ok());
        c->use_key(first.key());
        auto pong = co_await ping_pong(*c, 100 + static_cast<int>(kind));
        CHECK(pong == 100 + static_cast<int>(kind));
      }
    }
  });
}

TEST_CASE("a handshake abandoned halfway is dropped after the timeout") {
  InProcessDc dc;
  dc.core().set_handshake_timeout(std::chrono::milliseconds(200));
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await RawClient::connect(dc.io().get_executor(), "127.0.0.1", dc.port(2));
    REQUIRE(c.ok());
    mtp::tl::mt::req_pq_multi req;
    req.nonce[0] = 1;
    auto frame = mtp::transport::Frame::copy_of(mtp::auth::encode_plain_message(c->next_msg_id(), tl_bytes(req)));
    auto sent = co_await c->connection().send(frame);
    REQUIRE(sent.ok());
    auto res_pq = co_await c->connection().receive(5s);
    REQUIRE(res_pq.ok());
    auto plain = mtp::auth::decode_plain_message(res_pq->payload);
    REQUIRE(plain.ok());
    CHECK(mtp::tl::object_id(plain->body) == mt::resPQ::kId);
    // The client goes quiet for longer than the timeout (the condition under test, not a sync).
    asio::steady_timer idle(dc.io(), 300ms);
    co_await idle.async_wait(asio::use_awaitable);
    // Continuing the old handshake is now out of order: transport error -404.
    mt::req_DH_params dh;
    dh.nonce = req.nonce;
    dh.server_nonce = mtp::tl::parse<mt::ResPQ>(plain->body)->get<mt::resPQ>().server_nonce;
    auto late = mtp::transport::Frame::copy_of(mtp::auth::encode_plain_message(c->next_msg_id(), tl_bytes(dh)));
    auto sent_late = co_await c->connection().send(late);
    REQUIRE(sent_late.ok());
    auto answer = co_await c->connection().receive(5s);
    REQUIRE(answer.ok());
    CHECK(answer->type == mtp::transport::Packet::Type::kTransportError);
    CHECK(answer->error_code == -404);
  });
}
