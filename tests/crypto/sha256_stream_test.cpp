// Sha256Stream against OpenSSL's SHA-256 for random data split at random points, update_both
// against two separate streams (block-aligned or not), copies that diverge, and the portable
// compression on every CPU.
#include <catch2/catch.hpp>

#include <random>

#include "crypto/sha.hpp"
#include "crypto/sha256_stream.hpp"
#include "crypto_test_support.hpp"

using crypto_test::random_bytes;

using namespace mtp;

TEST_CASE("Sha256Stream: standard vectors and random splits equal one-shot SHA-256") {
  crypto::Sha256Stream empty;
  CHECK(to_hex(empty.digest()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  crypto::Sha256Stream abc;
  abc.update(as_bytes("abc"));
  CHECK(to_hex(abc.digest()) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");

  std::mt19937_64 rng(2561);
  for (int round = 0; round < 30; ++round) {
    const Bytes data = random_bytes(rng, rng() % 400000);
    crypto::Sha256Stream s;
    std::size_t pos = 0;
    while (pos < data.size()) {
      std::size_t len = rng() % 4 == 0 ? rng() % 140000 : rng() % 130;
      len = std::min(len, data.size() - pos);
      s.update(ByteSpan(data).subspan(pos, len));
      pos += len;
      if (rng() % 16 == 0) REQUIRE(s.digest() == crypto::sha256(ByteSpan(data).first(pos)));  // mid-way too
    }
    REQUIRE(s.length() == data.size());
    REQUIRE(s.digest() == crypto::sha256(data));
  }
}

TEST_CASE("update_both equals two separate streams, aligned or not") {
  std::mt19937_64 rng(2562);
  for (int round = 0; round < 40; ++round) {
    // a: a window digest started fresh; b: a running file digest, sometimes off a block boundary.
    crypto::Sha256Stream a, b, a_ref, b_ref;
    const Bytes lead = random_bytes(rng, round % 3 == 0 ? rng() % 100 : 64 * (rng() % 5));
    b.update(lead);
    b_ref.update(lead);
    for (int piece = 0; piece < 4; ++piece) {
      const Bytes data = random_bytes(rng, piece == 3 ? rng() % 200 : 64 * (rng() % 3000) + (rng() % 2 ? rng() % 64 : 0));
      crypto::update_both(a, b, data);
      a_ref.update(data);
      b_ref.update(data);
      REQUIRE(a.digest() == a_ref.digest());
      REQUIRE(b.digest() == b_ref.digest());
    }
  }
}

TEST_CASE("Sha256Stream copies are independent") {
  std::mt19937_64 rng(2563);
  const Bytes x = random_bytes(rng, 131072), y = random_bytes(rng, 1000);
  crypto::Sha256Stream s;
  s.update(x);
  crypto::Sha256Stream tried = s;
  tried.update(y);  // bytes that may be rejected: the original stays as it was
  CHECK(s.digest() == crypto::sha256(x));
  CHECK(tried.digest() == crypto::sha256({ByteSpan(x), ByteSpan(y)}));
}

TEST_CASE("portable SHA-256 compression equals the CPU's") {
  std::mt19937_64 rng(2564);
  const Bytes data = random_bytes(rng, 64 * 257);
  std::uint32_t h[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
  crypto::detail::sha256_blocks_portable(h, data.data(), 257);
  // Finish by hand: one padding block for a message of exactly 257 blocks.
  std::uint8_t pad[64] = {0x80};
  const std::uint64_t bits = data.size() * 8;
  for (int i = 0; i < 8; ++i) pad[63 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  crypto::detail::sha256_blocks_portable(h, pad, 1);
  crypto::Sha256Digest out;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  }
  CHECK(out == crypto::sha256(data));
}
