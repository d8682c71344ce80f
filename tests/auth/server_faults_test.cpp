// The server's deliberate faults (ServerHandshakeOptions::fault, the test DC's --handshake-fault):
// each lie is sent in well-formed, correctly encrypted messages, and our client refuses it with
// kErrSecurity at the check made for it.
#include <catch2/catch.hpp>

#include "crypto/bignum.hpp"
#include "crypto/dh.hpp"
#include "crypto/handshake_kdf.hpp"
#include "handshake_support.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;
namespace mt = mtp::tl::mt;

namespace {

// What the faulty server sent, as the client saw it.
struct FaultRun {
  PairOutcome outcome;
  std::optional<mt::resPQ> res_pq;
  std::optional<mt::server_DH_inner_data> server_dh;  // decrypted; set only when its SHA1 matched
};

FaultRun run_with_fault(HandshakeFault fault, std::uint64_t seed) {
  ClientHandshake client(client_options(seed));
  ServerHandshakeOptions options = server_options(seed);
  options.fault = fault;
  ServerHandshake server(server_key(), options);
  FaultRun run;
  Int256 new_nonce{};
  run.outcome = run_pair(client, server, [&](bool to_server, int index, Bytes& body) {
    if (!to_server && index == 1) {
      auto parsed = tl::parse<mt::resPQ>(body);
      REQUIRE(parsed);
      run.res_pq = *parsed;
    }
    if (to_server && index == 2) new_nonce = new_nonce_of(body);
    if (!to_server && index == 3) {
      auto ok = tl::parse<mt::server_DH_params_ok>(body);
      REQUIRE(ok);
      auto decrypted = crypto::decrypt_with_hash(crypto::tmp_aes_key(new_nonce, ok->server_nonce), ok->encrypted_answer);
      REQUIRE(decrypted);
      std::optional<std::size_t> length = crypto::find_hashed_length(*decrypted);
      REQUIRE(length);
      auto inner = tl::parse<mt::server_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
      REQUIRE(inner);
      run.server_dh = *inner;
    }
  });
  // The client is the one that stops: the server never refused anything, and no key came of it.
  CHECK_FALSE(run.outcome.server_error);
  CHECK_FALSE(run.outcome.client);
  CHECK_FALSE(server.result());
  REQUIRE(run.outcome.client_error);
  return run;
}

}  // namespace

TEST_CASE("handshake fault names round-trip, unknown names are refused", "[auth][server][fault]") {
  for (HandshakeFault f : {HandshakeFault::kNone, HandshakeFault::kUnknownFingerprint, HandshakeFault::kBadDhPrime,
                           HandshakeFault::kGaOutOfRange}) {
    CHECK(handshake_fault_from_name(handshake_fault_name(f)) == f);
  }
  CHECK(handshake_fault_name(HandshakeFault::kBadDhPrime) == "bad-dh-prime");
  CHECK_FALSE(handshake_fault_from_name("bad_dh_prime"));
  CHECK_FALSE(handshake_fault_from_name(""));
}

TEST_CASE("the bad dh_prime passes every check but primality", "[auth][server][fault]") {
  const Bytes bad = bad_dh_prime();
  const crypto::BigNum p = crypto::BigNum::from_be(bad);
  CHECK(bad.size() == crypto::kDhSize);
  CHECK(p.num_bits() == 2048);
  CHECK(p.mod_word(2) == 1);
  CHECK(crypto::dh_generator_ok(p, 3));  // so a client reaches the primality test with g = 3
  CHECK(p != crypto::BigNum::from_be(crypto::telegram_dh_prime()));
  CHECK_FALSE(crypto::is_probable_prime(p));
}

TEST_CASE("fault unknown-fingerprint: resPQ offers a key the client does not trust", "[auth][server][fault]") {
  FaultRun run = run_with_fault(HandshakeFault::kUnknownFingerprint, 61);
  REQUIRE(run.res_pq);
  const std::uint64_t ours = server_key().public_key().fingerprint();
  REQUIRE(run.res_pq->server_public_key_fingerprints.size() == 1);
  CHECK(static_cast<std::uint64_t>(run.res_pq->server_public_key_fingerprints[0]) == unknown_fingerprint(ours));
  CHECK(unknown_fingerprint(ours) != ours);
  CHECK(run.outcome.messages == 2);  // req_pq_multi, resPQ: nothing is sent under an unknown key
  CHECK(run.outcome.client_error->code == kErrSecurity);
  CHECK(run.outcome.client_error->type == "HANDSHAKE_UNKNOWN_FINGERPRINT");
}

TEST_CASE("fault bad-dh-prime: a composite prime inside a correctly hashed answer", "[auth][server][fault]") {
  FaultRun run = run_with_fault(HandshakeFault::kBadDhPrime, 62);
  REQUIRE(run.server_dh);
  CHECK(run.server_dh->dh_prime == bad_dh_prime());
  CHECK(run.server_dh->g == 3);
  CHECK(run.outcome.messages == 4);  // the client stops at server_DH_params_ok
  CHECK(run.outcome.client_error->code == kErrSecurity);
  CHECK(run.outcome.client_error->type == "DH_PRIME_INVALID");
  CHECK(run.outcome.client_error->detail == "dh_prime is not prime");
}

TEST_CASE("fault g-a-out-of-range: g_a = 1 inside a correctly hashed answer", "[auth][server][fault]") {
  FaultRun run = run_with_fault(HandshakeFault::kGaOutOfRange, 63);
  REQUIRE(run.server_dh);
  CHECK(run.server_dh->g_a == Bytes{1});
  const ByteSpan standard = crypto::telegram_dh_prime();
  CHECK(run.server_dh->dh_prime == Bytes(standard.begin(), standard.end()));
  CHECK(run.outcome.messages == 4);
  CHECK(run.outcome.client_error->code == kErrSecurity);
  CHECK(run.outcome.client_error->type == "DH_VALUE_OUT_OF_RANGE");
  CHECK(run.outcome.client_error->detail == "DH public value out of the safe range");
}

TEST_CASE("fault none: the handshake completes as before", "[auth][server][fault]") {
  ClientHandshake client(client_options(64));
  ServerHandshakeOptions options = server_options(64);
  options.fault = HandshakeFault::kNone;
  ServerHandshake server(server_key(), options);
  PairOutcome outcome = run_pair(client, server);
  REQUIRE(outcome.client);
  REQUIRE(server.result());
  CHECK(outcome.client->auth_key == server.result()->auth_key);
}
