// SHA-1 / SHA-256 against the FIPS 180 example vectors (also checked with coreutils sha*sum).
#include <catch2/catch.hpp>

#include <random>
#include <string>

#include "crypto/sha.hpp"

using namespace mtp;

namespace {
const std::string kTwoBlock = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq";
const std::string kMillionA(1000000, 'a');
}  // namespace

TEST_CASE("SHA-1 standard vectors") {
  CHECK(to_hex(crypto::sha1(as_bytes(""))) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(to_hex(crypto::sha1(as_bytes("abc"))) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(to_hex(crypto::sha1(as_bytes(kTwoBlock))) == "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(to_hex(crypto::sha1(as_bytes(kMillionA))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
}

TEST_CASE("SHA-256 standard vectors") {
  CHECK(to_hex(crypto::sha256(as_bytes(""))) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  CHECK(to_hex(crypto::sha256(as_bytes("abc"))) ==
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(to_hex(crypto::sha256(as_bytes(kTwoBlock))) ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(to_hex(crypto::sha256(as_bytes(kMillionA))) ==
        "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("SHA: several pieces hash like their concatenation") {
  CHECK(crypto::sha256({as_bytes("a"), as_bytes(""), as_bytes("bc")}) == crypto::sha256(as_bytes("abc")));
  CHECK(crypto::sha1({as_bytes("ab"), as_bytes("c")}) == crypto::sha1(as_bytes("abc")));
}

TEST_CASE("SHA-256 incremental equals one-shot for random splits, and finish() starts over") {
  std::mt19937_64 rng(256);
  Bytes data(300000);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const crypto::Sha256Digest whole = crypto::sha256(data);
  crypto::Sha256 inc;
  for (int round = 0; round < 20; ++round) {
    std::size_t pos = 0;
    while (pos < data.size()) {
      // Pieces of 0..200 bytes and occasionally large ones, crossing block boundaries every way.
      std::size_t len = rng() % 8 == 0 ? rng() % 70000 : rng() % 201;
      len = std::min(len, data.size() - pos);
      inc.update(ByteSpan(data).subspan(pos, len));
      pos += len;
    }
    REQUIRE(inc.finish() == whole);  // finish() also resets, so each round starts from scratch
  }
  crypto::Sha256 million;
  for (int i = 0; i < 1000; ++i) million.update(as_bytes(kMillionA).first(1000));
  CHECK(to_hex(million.finish()) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  CHECK(to_hex(million.finish()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}
