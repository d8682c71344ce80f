// Every client-side check of the security guidelines, each provoked by a server answer altered in
// flight (the real server's answer, re-encrypted where the check sits behind the tmp AES key).
#include <catch2/catch.hpp>

#include "crypto/bignum.hpp"
#include "crypto/builtin_keys.hpp"
#include "crypto/dh.hpp"
#include "crypto/handshake_kdf.hpp"
#include "crypto/pq.hpp"
#include "crypto/sha.hpp"
#include "handshake_support.hpp"

using namespace mtp;
using namespace mtp::auth;
using namespace mtp::auth::test;
namespace mt = mtp::tl::mt;

namespace {

// The server's server_DH_inner_data, decrypted with the new_nonce recovered from req_DH_params.
mt::server_DH_inner_data decrypt_server_dh(ByteSpan body, const Int256& new_nonce) {
  auto ok = tl::parse<mt::server_DH_params_ok>(body);
  REQUIRE(ok);
  auto decrypted = crypto::decrypt_with_hash(crypto::tmp_aes_key(new_nonce, ok->server_nonce), ok->encrypted_answer);
  REQUIRE(decrypted);
  auto length = crypto::find_hashed_length(*decrypted);
  REQUIRE(length);
  auto inner = tl::parse<mt::server_DH_inner_data>(ByteSpan(decrypted->body).first(*length));
  REQUIRE(inner);
  return *inner;
}

// Runs a pair in which the server's server_DH_inner_data is edited before the client sees it.
Error fail_with_server_dh(const std::function<void(mt::server_DH_inner_data&)>& edit) {
  ClientHandshake client(client_options(31));
  ServerHandshake server(server_key(), server_options(31));
  Int256 new_nonce{};
  PairOutcome outcome = run_pair(client, server, [&](bool to_server, int index, Bytes& body) {
    if (to_server && index == 2) new_nonce = new_nonce_of(body);
    if (!to_server && index == 3) {
      mt::server_DH_inner_data inner = decrypt_server_dh(body, new_nonce);
      edit(inner);
      body = make_server_dh_params_ok(inner, new_nonce);
    }
  });
  REQUIRE(outcome.client_error);
  return *outcome.client_error;
}

// Runs a pair with one message (by index) altered by `edit`; returns the client's error.
Error fail_with(int which, const std::function<void(Bytes&)>& edit) {
  ClientHandshake client(client_options(32));
  ServerHandshake server(server_key(), server_options(32));
  PairOutcome outcome = run_pair(client, server, [&](bool, int index, Bytes& body) {
    if (index == which) edit(body);
  });
  REQUIRE(outcome.client_error);
  return *outcome.client_error;
}

Bytes big_endian(const crypto::BigNum& n) { return n.to_be_padded(256); }

}  // namespace

TEST_CASE("client: a server without a trusted RSA key is refused, naming what it offered", "[auth][client]") {
  ClientHandshakeOptions options = client_options(30);
  auto production = crypto::parse_rsa_public_key_pem(crypto::telegram_production_key().pem);
  REQUIRE(production);
  options.trusted_keys = {*production};
  ClientHandshake client(options);
  ServerHandshake server(server_key(), server_options(30));
  PairOutcome outcome = run_pair(client, server);
  REQUIRE(outcome.client_error);
  CHECK(outcome.client_error->code == kErrSecurity);
  CHECK(outcome.client_error->type == "HANDSHAKE_UNKNOWN_FINGERPRINT");
  char offered[32];
  std::snprintf(offered, sizeof offered, "0x%016llx",
                static_cast<unsigned long long>(server_key().public_key().fingerprint()));
  CHECK_THAT(outcome.client_error->detail, Catch::Contains(offered));
}

TEST_CASE("client: nonces must be echoed in every answer", "[auth][client]") {
  SECTION("resPQ nonce") {
    CHECK(fail_with(1, [](Bytes& b) { b[4] ^= 1; }).type == "HANDSHAKE_NONCE_MISMATCH");
  }
  SECTION("server_DH_params_ok nonce") {
    CHECK(fail_with(3, [](Bytes& b) { b[4] ^= 1; }).type == "HANDSHAKE_NONCE_MISMATCH");
  }
  SECTION("server_DH_params_ok server_nonce") {
    CHECK(fail_with(3, [](Bytes& b) { b[20] ^= 1; }).type == "HANDSHAKE_NONCE_MISMATCH");
  }
  SECTION("inside server_DH_inner_data") {
    CHECK(fail_with_server_dh([](auto& inner) { inner.server_nonce[0] ^= 1; }).type == "HANDSHAKE_NONCE_MISMATCH");
  }
  SECTION("dh_gen_ok server_nonce") {
    CHECK(fail_with(5, [](Bytes& b) { b[20] ^= 1; }).type == "HANDSHAKE_NONCE_MISMATCH");
  }
}

TEST_CASE("client: pq must split into two primes", "[auth][client]") {
  Error error = fail_with(1, [](Bytes& b) {
    auto res = tl::parse<mt::resPQ>(b);
    REQUIRE(res);
    mt::resPQ changed = *res;
    changed.pq = crypto::pq_to_bytes(1'000'000'007);  // prime
    b = tl::serialize(changed);
  });
  CHECK(error.type == "BAD_PQ");
  CHECK(error.code == kErrSecurity);
}

TEST_CASE("client: the answer's SHA1 is verified before anything is parsed", "[auth][client]") {
  // Flip a byte of encrypted_answer (its last block: the damage stays in the data, not the hash).
  Error error = fail_with(3, [](Bytes& b) { b[b.size() - 40] ^= 0x80; });
  CHECK(error.type == "HANDSHAKE_BAD_ANSWER_HASH");
}

TEST_CASE("client: DH prime and g are checked", "[auth][client]") {
  const crypto::BigNum p = crypto::BigNum::from_be(crypto::telegram_dh_prime());
  SECTION("not a prime (p - 6 keeps g = 3 a valid generator, so primality is what fails)") {
    Error e = fail_with_server_dh([&](auto& inner) { inner.dh_prime = big_endian(p - crypto::BigNum(6)); });
    CHECK(e.type == "DH_PRIME_INVALID");
    CHECK(e.detail == "dh_prime is not prime");
  }
  SECTION("p + 2 fails the cheaper generator check first") {
    Error e = fail_with_server_dh([&](auto& inner) { inner.dh_prime = big_endian(p + crypto::BigNum(2)); });
    CHECK(e.type == "DH_G_INVALID");
  }
  SECTION("not 2048 bits") {
    Error e = fail_with_server_dh([&](auto& inner) { inner.dh_prime = (p >> 8).to_be(); });
    CHECK(e.type == "DH_PRIME_INVALID");
  }
  SECTION("g = 2 does not suit this prime (p mod 8 != 7)") {
    REQUIRE(p.mod_word(8) != 7);
    Error e = fail_with_server_dh([&](auto& inner) { inner.g = 2; });
    CHECK(e.type == "DH_G_INVALID");
  }
  SECTION("g outside 2..7") {
    CHECK(fail_with_server_dh([&](auto& inner) { inner.g = 1; }).type == "DH_G_INVALID");
    CHECK(fail_with_server_dh([&](auto& inner) { inner.g = 11; }).type == "DH_G_INVALID");
  }
}

TEST_CASE("client: g_a must lie in the safe range", "[auth][client]") {
  const crypto::BigNum p = crypto::BigNum::from_be(crypto::telegram_dh_prime());
  const crypto::BigNum margin = crypto::BigNum::power_of_two(2048 - 64);
  for (const crypto::BigNum& g_a : {crypto::BigNum(1), crypto::BigNum(2), p - crypto::BigNum(1),
                                    margin - crypto::BigNum(1), p - margin + crypto::BigNum(1)}) {
    Error e = fail_with_server_dh([&](auto& inner) { inner.g_a = big_endian(g_a); });
    CHECK(e.type == "DH_VALUE_OUT_OF_RANGE");
    CHECK(e.code == kErrSecurity);
  }
}

TEST_CASE("client: new_nonce_hash1 must match the key", "[auth][client]") {
  Error error = fail_with(5, [](Bytes& b) { b[b.size() - 1] ^= 1; });
  CHECK(error.type == "HANDSHAKE_BAD_NEW_NONCE_HASH");
}

TEST_CASE("client: server_DH_params_fail is an error, after its hash is checked", "[auth][client]") {
  ClientHandshake client(client_options(33));
  ServerHandshake server(server_key(), server_options(33));
  Int256 new_nonce{};
  Int128 nonce{}, server_nonce{};
  Bytes to_server = client.first_message();
  auto res_body = server.on_message(to_server).body;
  auto res = tl::parse<mt::resPQ>(res_body);
  REQUIRE(res);
  nonce = res->nonce;
  server_nonce = res->server_nonce;
  auto req = client.on_message(res_body);
  REQUIRE(req);
  new_nonce = new_nonce_of(req->body);
  crypto::Sha1Digest digest = crypto::sha1(ByteSpan(new_nonce));
  mt::server_DH_params_fail fail{.nonce = nonce, .server_nonce = server_nonce, .new_nonce_hash = {}};
  std::copy(digest.begin() + 4, digest.end(), fail.new_nonce_hash.begin());

  SECTION("with the right hash") {
    auto r = client.on_message(tl::serialize(fail));
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "HANDSHAKE_DH_PARAMS_FAIL");
  }
  SECTION("with a wrong hash") {
    fail.new_nonce_hash[0] ^= 1;
    auto r = client.on_message(tl::serialize(fail));
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "HANDSHAKE_BAD_NEW_NONCE_HASH");
  }
  // Once failed, the handshake stays failed.
  auto again = client.on_message(res_body);
  REQUIRE_FALSE(again);
  CHECK(again.error().type == "HANDSHAKE_STATE");
}

TEST_CASE("client: out-of-order and malformed answers", "[auth][client]") {
  SECTION("before first_message") {
    ClientHandshake client(client_options(34));
    auto r = client.on_message(tl::serialize(mt::req_pq_multi{}));
    REQUIRE_FALSE(r);
    CHECK(r.error().type == "HANDSHAKE_STATE");
  }
  SECTION("dh_gen_ok instead of resPQ") {
    Error e = fail_with(1, [](Bytes& b) {
      b = tl::serialize(mt::dh_gen_ok{.nonce = {}, .server_nonce = {}, .new_nonce_hash1 = {}});
    });
    CHECK(e.type == "HANDSHAKE_UNEXPECTED");
    CHECK(e.code == kErrMalformed);
  }
  SECTION("resPQ instead of server_DH_params") {
    CHECK(fail_with(3, [](Bytes& b) { b = tl::serialize(mt::resPQ{}); }).type == "HANDSHAKE_UNEXPECTED");
  }
  SECTION("truncated resPQ") {
    Error e = fail_with(1, [](Bytes& b) { b.resize(b.size() - 4); });
    CHECK(e.code == kErrMalformed);
  }
  SECTION("trailing bytes after dh_gen_ok") {
    Error e = fail_with(5, [](Bytes& b) { b.insert(b.end(), 4, 0); });
    CHECK(e.code == kErrMalformed);
  }
}
