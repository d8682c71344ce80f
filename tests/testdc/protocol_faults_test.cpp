// The test DC's fault switches, shown on the wire: --force-bad-salt refuses the first content
// message of every new session once with bad_server_salt (48), and --handshake-fault makes the
// auth-key handshake lie so that the real client handshake refuses it with kErrSecurity.
#include <catch2/catch.hpp>

#include <algorithm>
#include <chrono>

#include "auth/client_handshake_driver.hpp"
#include "protocol_harness.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

using namespace testdc;
using namespace testdc::testing;
namespace mt = mtp::tl::mt;
using namespace std::chrono_literals;
using mtp::auth::HandshakeFault;

namespace {

// bad_server_salt out of a received message.
mt::bad_server_salt as_bad_salt(const ServerMessage& m) {
  auto parsed = mtp::tl::parse<mt::BadMsgNotification>(m.body);
  REQUIRE(parsed.ok());
  REQUIRE(parsed->get_if<mt::bad_server_salt>() != nullptr);
  return parsed->get<mt::bad_server_salt>();
}

bool any_bad_salt(const std::vector<ServerMessage>& messages) {
  return std::any_of(messages.begin(), messages.end(),
                     [](const ServerMessage& m) { return m.id == mt::bad_server_salt::kId; });
}

// The rpc_result answering `req_msg_id` arrives; everything before it goes to `skipped`.
asio::awaitable<void> expect_answer(RawClient& c, std::int64_t req_msg_id, std::vector<ServerMessage>& skipped) {
  auto m = co_await c.receive_until(mtp::tl::kRpcResultId, 10s, &skipped);
  REQUIRE(m.ok());
  auto result = mtp::tl::parse_rpc_result(m->body);
  REQUIRE(result.ok());
  CHECK(result->req_msg_id == req_msg_id);
  CHECK(mtp::tl::object_id(result->result) != mt::rpc_error::kId);
}

// Sends one request with the client's (valid) salt and expects it refused with bad_server_salt
// naming it; returns the salt the server offered.
asio::awaitable<std::int64_t> expect_forced_refusal(InProcessDc& dc, RawClient& c, mtp::ByteSpan request) {
  const std::int64_t valid = dc.core().salts().current(c.key().auth_key_id, dc.core().now_s());
  REQUIRE(c.salt() == valid);  // nothing wrong with the salt the client uses
  auto sent = co_await c.send(request);
  REQUIRE(sent.ok());
  std::vector<ServerMessage> skipped;
  auto refusal = co_await c.receive_until(mt::bad_server_salt::kId, 10s, &skipped);
  REQUIRE(refusal.ok());
  const mt::bad_server_salt bad = as_bad_salt(*refusal);
  CHECK(bad.bad_msg_id == *sent);
  CHECK(bad.error_code == 48);
  CHECK(bad.new_server_salt == valid);
  // Refused outright: no answer to it came first.
  CHECK(std::none_of(skipped.begin(), skipped.end(), [](const ServerMessage& m) { return m.id == mtp::tl::kRpcResultId; }));
  co_return bad.new_server_salt;
}

// Runs the real client handshake against a DC with `fault`; returns its error.
mtp::Error handshake_error(HandshakeFault fault) {
  Conditions conditions;
  conditions.handshake_fault = fault;
  InProcessDc dc(conditions);
  std::optional<mtp::Error> error;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await RawClient::connect(dc.io().get_executor(), "127.0.0.1", dc.port(2));
    REQUIRE(c.ok());
    mtp::auth::ClientHandshakeOptions options;
    options.dc_id = 2;
    options.trusted_keys = {test_rsa_key().public_key()};
    auto key = co_await mtp::auth::create_auth_key(c->connection(), options, 20s);
    REQUIRE_FALSE(key.ok());
    error = key.error();
  });
  CHECK(dc.state().keys().size() == 0);  // the server registered no key
  REQUIRE(error);
  INFO(error->to_string());
  CHECK(error->code == mtp::kErrSecurity);
  return *error;
}

}  // namespace

TEST_CASE("force_bad_salt: the first request of a session is refused once, the resend is answered") {
  Conditions conditions;
  conditions.force_bad_salt = true;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    const auto first = get_file_request(0, 4096);
    const std::int64_t salt = co_await expect_forced_refusal(dc, c, first);

    c.set_salt(salt);
    auto resent = co_await c.send(first);
    REQUIRE(resent.ok());
    std::vector<ServerMessage> skipped;
    co_await expect_answer(c, *resent, skipped);
    CHECK_FALSE(any_bad_salt(skipped));
    // The refusal did not count as the session's start: it begins with the resend.
    const auto created = std::find_if(skipped.begin(), skipped.end(),
                                      [](const ServerMessage& m) { return m.id == mt::new_session_created::kId; });
    REQUIRE(created != skipped.end());
    auto parsed = mtp::tl::parse<mt::NewSession>(created->body);
    REQUIRE(parsed.ok());
    CHECK(parsed->get<mt::new_session_created>().first_msg_id == *resent);

    // The same session is not refused again.
    auto second = co_await c.send(get_file_request(4096, 4096));
    REQUIRE(second.ok());
    skipped.clear();
    co_await expect_answer(c, *second, skipped);
    CHECK_FALSE(any_bad_salt(skipped));
  });
}

TEST_CASE("force_bad_salt: every new session of the same key is refused once, acks do not count") {
  Conditions conditions;
  conditions.force_bad_salt = true;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    auto a = co_await dc.client();
    const std::int64_t salt = co_await expect_forced_refusal(dc, a, get_file_request(0, 4096));
    a.set_salt(salt);

    auto b = co_await dc.client_with_key(a.key());
    REQUIRE(b.session_id() != a.session_id());
    // A lone msgs_ack carries no content: it passes, and the forced refusal waits for content.
    mtp::tl::mt::msgs_ack ack;
    ack.msg_ids = {a.next_msg_id()};
    mtp::Bytes ack_body = tl_bytes(ack);
    OutgoingOptions not_content;
    not_content.content_related = false;
    auto acked = co_await b.send(ack_body, not_content);
    REQUIRE(acked.ok());
    co_await expect_forced_refusal(dc, b, get_file_request(0, 4096));
    auto resent = co_await b.send(get_file_request(0, 4096));
    REQUIRE(resent.ok());
    std::vector<ServerMessage> skipped;
    co_await expect_answer(b, *resent, skipped);
    CHECK_FALSE(any_bad_salt(skipped));
  });
}

TEST_CASE("without force_bad_salt the first request is answered directly") {
  InProcessDc dc;
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    auto sent = co_await c.send(get_file_request(0, 4096));
    REQUIRE(sent.ok());
    std::vector<ServerMessage> skipped;
    co_await expect_answer(c, *sent, skipped);
    CHECK_FALSE(any_bad_salt(skipped));
  });
}

TEST_CASE("handshake fault unknown-fingerprint: the client trusts no key offered") {
  const mtp::Error e = handshake_error(HandshakeFault::kUnknownFingerprint);
  CHECK(e.type == "HANDSHAKE_UNKNOWN_FINGERPRINT");
}

TEST_CASE("handshake fault bad-dh-prime: the client finds dh_prime composite") {
  const mtp::Error e = handshake_error(HandshakeFault::kBadDhPrime);
  CHECK(e.type == "DH_PRIME_INVALID");
  CHECK(e.detail == "dh_prime is not prime");
}

TEST_CASE("handshake fault g-a-out-of-range: the client refuses g_a = 1") {
  const mtp::Error e = handshake_error(HandshakeFault::kGaOutOfRange);
  CHECK(e.type == "DH_VALUE_OUT_OF_RANGE");
  CHECK(e.detail == "DH public value out of the safe range");
}

TEST_CASE("handshake fault none: the handshake succeeds") {
  Conditions conditions;
  conditions.handshake_fault = HandshakeFault::kNone;
  InProcessDc dc(conditions);
  dc.run([&]() -> asio::awaitable<void> {
    auto c = co_await dc.client();
    CHECK(c.key().auth_key.size() == 256);
  });
  CHECK(dc.state().keys().size() == 1);
}

TEST_CASE("manifest: conditions.force_bad_salt and conditions.handshake_fault") {
  auto world = load_manifest(R"({"conditions": {"force_bad_salt": true, "handshake_fault": "g-a-out-of-range"}})", ".");
  REQUIRE(world.ok());
  CHECK(world->conditions.force_bad_salt);
  CHECK(world->conditions.handshake_fault == HandshakeFault::kGaOutOfRange);

  auto defaults = load_manifest("{}", ".");
  REQUIRE(defaults.ok());
  CHECK_FALSE(defaults->conditions.force_bad_salt);
  CHECK(defaults->conditions.handshake_fault == HandshakeFault::kNone);

  auto unknown = load_manifest(R"({"conditions": {"handshake_fault": "bad_prime"}})", ".");
  REQUIRE_FALSE(unknown.ok());
  CHECK(unknown.error().type == "MANIFEST_INVALID");
}
