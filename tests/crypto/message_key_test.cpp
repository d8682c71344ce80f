// MTProto 2.0 msg_key and aes_key/aes_iv derivation. Vectors: VECTORS.md section 3, taken from the
// unit tests of Lonami/grammers (grammers-crypto/src/lib.rs @ fa7692e4) and re-verified there with an
// independent Python implementation; i.e. computed by code other than ours.
#include <catch2/catch.hpp>

#include "crypto/message_key.hpp"
#include "crypto_test_support.hpp"

using crypto_test::counting_auth_key;

using namespace mtp;
using crypto::Direction;

namespace {

Int128 to_int128(const Bytes& b) {
  REQUIRE(b.size() == 16);
  Int128 v{};
  std::copy(b.begin(), b.end(), v.begin());
  return v;
}

}  // namespace

TEST_CASE("message key: aes_key/aes_iv for both directions (grammers)") {
  const auto auth_key = counting_auth_key();
  const Int128 msg_key = to_int128(from_hex("000102030405060708090A0B0C0D0E0F"));

  const auto c2s = crypto::derive_message_aes_key(auth_key, msg_key, Direction::kClientToServer);
  CHECK(to_hex(c2s.key) == "704ed09c8b41668ae8f99d244738f71dbddc44469b6bbd4aa8573dd042bd059e");
  CHECK(to_hex(c2s.iv) == "4d266000a550edabbf4c7ce40fd0043cc92230184cd317a5cc9c2482fd3b9318");

  const auto s2c = crypto::derive_message_aes_key(auth_key, msg_key, Direction::kServerToClient);
  CHECK(to_hex(s2c.key) == "217725799b245806458174a1fcfbc883906807b15033fdd0ea2b4d69cf9c364e");
  CHECK(to_hex(s2c.iv) == "669a6538917a4fa56ca32360a431c9160be4ad887140980dab91ce7bdc47ffbc");
}

TEST_CASE("message key: msg_key and keys of grammers' encrypt_data_v2 example") {
  const auto auth_key = counting_auth_key();
  const Bytes padded = from_hex(
      "48656C6C6F2C20776F726C6421205468697320646174612073686F756C642072656D61696E207365637572652100000000000000000000000000000000000000");
  REQUIRE(padded.size() == 64);
  const Int128 msg_key = crypto::compute_msg_key(auth_key, padded, Direction::kClientToServer);
  CHECK(to_hex(msg_key) == "a81729d46db54019a2bfd7f744f9b96c");
  const auto aes = crypto::derive_message_aes_key(auth_key, msg_key, Direction::kClientToServer);
  CHECK(to_hex(aes.key) == "2d689d7521c73c1ebba0211aa5baa00f428c636adf5b26e46894867ac6e4eb58");
  CHECK(to_hex(aes.iv) == "5a1ce9345d4b5db43787e7885d67597e51804bbf968fb781c5000182ba631c9c");

  // The direction selects other auth key bytes, so the server's msg_key for the same bytes differs.
  CHECK(crypto::compute_msg_key(auth_key, padded, Direction::kServerToClient) != msg_key);
}

TEST_CASE("message key: msg_key depends on every plaintext byte and the auth key slice only") {
  auto auth_key = counting_auth_key();
  Bytes plain(96, 0x5A);
  const Int128 base = crypto::compute_msg_key(auth_key, plain, Direction::kClientToServer);
  for (std::size_t i = 0; i < plain.size(); i += 7) {
    plain[i] ^= 0x80;
    CHECK(crypto::compute_msg_key(auth_key, plain, Direction::kClientToServer) != base);
    plain[i] ^= 0x80;
  }
  // x = 0 reads auth_key[88:120]: byte 88 matters, byte 120 does not.
  auth_key[120] ^= 1;
  CHECK(crypto::compute_msg_key(auth_key, plain, Direction::kClientToServer) == base);
  auth_key[88] ^= 1;
  CHECK(crypto::compute_msg_key(auth_key, plain, Direction::kClientToServer) != base);
}
