// The SHA-NI SHA-256 and the fused IGE-decrypt + SHA-256 against EVP SHA-256 and the per-block
// reference decryption. Skipped (with a warning) on CPUs without AES-NI/SHA-NI.
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "crypto/aes_ige.hpp"
#include "crypto/aes_ni_sha.hpp"
#include "crypto/sha.hpp"
#include "crypto_test_support.hpp"

using crypto_test::random_bytes;

using namespace mtp;

namespace {

bool skip_without_sha_ni() {
  if (crypto::aes_ni::sha_available()) return false;
  WARN("CPU without AES-NI + SHA-NI: fused path not testable here");
  return true;
}

}  // namespace

TEST_CASE("SHA-NI SHA-256: standard vectors and every length 0..300 against EVP") {
  if (skip_without_sha_ni()) return;
  CHECK(to_hex(crypto::aes_ni::sha256(as_bytes(""))) ==
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(crypto::aes_ni::sha256(as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(crypto::aes_ni::sha256(as_bytes(std::string(1000000, 'a')))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  std::mt19937_64 rng(300);
  const Bytes data = random_bytes(rng, 300);
  for (std::size_t n = 0; n <= data.size(); ++n) {
    INFO("length " << n);
    REQUIRE(crypto::aes_ni::sha256(ByteSpan(data).first(n)) == crypto::sha256(ByteSpan(data).first(n)));
  }
}

TEST_CASE("fused IGE decrypt + SHA-256 equals reference decryption then EVP SHA-256") {
  if (skip_without_sha_ni()) return;
  std::mt19937_64 rng(2026);
  std::vector<std::size_t> block_counts;
  for (std::size_t b = 0; b <= 70; ++b) block_counts.push_back(b);
  for (std::size_t b : {1023u, 4097u, 65536u}) block_counts.push_back(b);
  for (std::size_t prefix_len : {0u, 16u, 32u, 48u}) {
    for (std::size_t blocks : block_counts) {
      INFO("prefix " << prefix_len << ", blocks " << blocks);
      const Bytes key = random_bytes(rng, 32), iv = random_bytes(rng, 32), prefix = random_bytes(rng, prefix_len);
      const Bytes ct = random_bytes(rng, blocks * 16);
      const std::span<const std::uint8_t, 32> k(key.data(), 32), v(iv.data(), 32);
      Bytes expected_pt(ct.size());
      crypto::aes_ige_decrypt_reference(k, v, ct, expected_pt);
      const auto expected_hash = crypto::sha256({prefix, expected_pt});

      Bytes out(ct.size());
      CHECK(crypto::aes_ni::ige_decrypt_sha256(k, v, prefix, ct, out) == expected_hash);
      CHECK(out == expected_pt);
      Bytes inplace = ct;
      CHECK(crypto::aes_ni::ige_decrypt_sha256(k, v, prefix, inplace, inplace) == expected_hash);
      CHECK(inplace == expected_pt);
    }
  }
}

TEST_CASE("fused IGE decrypt + SHA-256 rejects unsupported sizes") {
  if (skip_without_sha_ni()) return;
  const Bytes key(32), prefix(20);
  Bytes buf(32);
  const std::span<const std::uint8_t, 32> k(key.data(), 32);
  CHECK_THROWS_AS(crypto::aes_ni::ige_decrypt_sha256(k, k, prefix, buf, buf), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_ni::ige_decrypt_sha256(k, k, ByteSpan(buf).first(16), ByteSpan(buf).first(24),
                                                     MutableByteSpan(buf).first(24)),
                  std::invalid_argument);
}
