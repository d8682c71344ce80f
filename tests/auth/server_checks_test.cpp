// The server role refuses anything malformed, out of order or forged with transport error -404,
// as Telegram's DCs do.
#include <catch2/catch.hpp>

#include "crypto/dh.hpp"
#include "crypto/handshake_kdf.hpp"
#include "handshake_support.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;
namespace mt = mtp::tl::mt;

namespace {

void require_404(const ServerAction& action) {
  INFO(action.reason);
  REQUIRE(action.kind == ServerAction::Kind::kTransportError);
  CHECK(action.error == -404);
  CHECK_FALSE(action.reason.empty());
}

// Runs our client against the server with one client message (by index) altered; returns the
// server's transport error.
ServerAction server_refuses(int which, const std::function<void(Bytes&, const Int256&)>& edit) {
  ClientHandshake client(client_options(41));
  ServerHandshake server(server_key(), server_options(41));
  Int256 new_nonce{};
  PairOutcome outcome = run_pair(client, server, [&](bool to_server, int index, Bytes& body) {
    if (to_server && index == 2) new_nonce = new_nonce_of(body);
    if (index == which) edit(body, new_nonce);
  });
  REQUIRE(outcome.server_error);
  CHECK_FALSE(server.result());
  return *outcome.server_error;
}

}  // namespace

TEST_CASE("server: garbage and out-of-order messages get -404", "[auth][server]") {
  ServerHandshake server(server_key(), server_options(40));
  SECTION("random bytes") { require_404(server.on_message(from_hex("0102030405060708"))); }
  SECTION("too short for a constructor") { require_404(server.on_message(from_hex("0102"))); }
  SECTION("empty") { require_404(server.on_message({})); }
  SECTION("truncated req_pq_multi") {
    Bytes body = tl::serialize(mt::req_pq_multi{});
    body.resize(12);
    require_404(server.on_message(body));
  }
  SECTION("req_DH_params before req_pq_multi") {
    require_404(server.on_message(tl::serialize(mt::req_DH_params{})));
  }
  SECTION("set_client_DH_params before req_DH_params") {
    REQUIRE(server.on_message(tl::serialize(mt::req_pq_multi{})).kind == ServerAction::Kind::kSend);
    require_404(server.on_message(tl::serialize(mt::set_client_DH_params{})));
  }
  SECTION("an API-layer or service message") {
    require_404(server.on_message(tl::serialize(mt::ping{.ping_id = 1})));
  }
}

TEST_CASE("server: req_DH_params checks", "[auth][server]") {
  auto edit_request = [](const std::function<void(mt::req_DH_params&)>& edit) {
    return [edit](Bytes& body, const Int256&) {
      auto req = tl::parse<mt::req_DH_params>(body);
      REQUIRE(req);
      mt::req_DH_params changed = *req;
      edit(changed);
      body = tl::serialize(changed);
    };
  };
  SECTION("nonce") { require_404(server_refuses(2, edit_request([](auto& r) { r.nonce[3] ^= 1; }))); }
  SECTION("server_nonce") { require_404(server_refuses(2, edit_request([](auto& r) { r.server_nonce[3] ^= 1; }))); }
  SECTION("unknown fingerprint") {
    require_404(server_refuses(2, edit_request([](auto& r) { r.public_key_fingerprint ^= 1; })));
  }
  SECTION("p and q swapped") { require_404(server_refuses(2, edit_request([](auto& r) { std::swap(r.p, r.q); }))); }
  SECTION("encrypted_data tampered (neither RSA_PAD nor legacy)") {
    require_404(server_refuses(2, edit_request([](auto& r) { r.encrypted_data[100] ^= 1; })));
  }
  SECTION("encrypted_data of the wrong size") {
    require_404(server_refuses(2, edit_request([](auto& r) { r.encrypted_data.resize(255); })));
  }
  SECTION("truncated") { require_404(server_refuses(2, [](Bytes& b, const Int256&) { b.resize(b.size() - 8); })); }
}

TEST_CASE("server: set_client_DH_params checks", "[auth][server]") {
  auto edit_inner = [](const std::function<void(mt::client_DH_inner_data&)>& edit) {
    return [edit](Bytes& body, const Int256& new_nonce) { body = rewrite_client_dh(body, new_nonce, edit); };
  };
  const crypto::BigNum p = crypto::BigNum::from_be(crypto::telegram_dh_prime());
  SECTION("g_b = 1") {
    require_404(server_refuses(4, edit_inner([](auto& inner) { inner.g_b = Bytes{1}; })));
  }
  SECTION("g_b = p - 1") {
    require_404(server_refuses(4, edit_inner([&](auto& inner) { inner.g_b = (p - crypto::BigNum(1)).to_be(); })));
  }
  SECTION("g_b just below 2^(2048-64)") {
    require_404(server_refuses(4, edit_inner([&](auto& inner) {
      inner.g_b = (crypto::BigNum::power_of_two(2048 - 64) - crypto::BigNum(1)).to_be();
    })));
  }
  SECTION("nonce inside client_DH_inner_data") {
    require_404(server_refuses(4, edit_inner([](auto& inner) { inner.nonce[0] ^= 1; })));
  }
  SECTION("encrypted_data tampered (SHA1 mismatch)") {
    require_404(server_refuses(4, [](Bytes& b, const Int256&) { b[b.size() - 20] ^= 1; }));
  }
  SECTION("outer server_nonce") {
    require_404(server_refuses(4, [](Bytes& b, const Int256&) { b[20] ^= 1; }));
  }
}

TEST_CASE("server: after a -404 only a new req_pq_multi is accepted", "[auth][server]") {
  ServerHandshake server(server_key(), server_options(42));
  require_404(server.on_message(from_hex("DEADBEEF")));
  ClientHandshake client(client_options(42));
  PairOutcome outcome = run_pair(client, server);
  REQUIRE(outcome.client);
  REQUIRE(server.result());
  CHECK(server.result()->auth_key == outcome.client->auth_key);
}
