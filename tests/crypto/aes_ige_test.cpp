#include <catch2/catch.hpp>

#include <random>

#include "crypto/aes_ige.hpp"

using namespace mtp;

TEST_CASE("AES-IGE encrypt matches the OpenSSL igetest vector") {
  Bytes key = from_hex("5468697320697320616E20696D706C655468697320697320616E20696D706C65");
  Bytes iv = from_hex("6D656E746174696F6E206F6620494745206D6F646520666F72204F70656E5353");
  Bytes pt = from_hex("99706487A1CDE613BC6DE0B6F24B1C7AA448C8B9C3403E3467A8CAD89340F53B");
  Bytes ct = from_hex("792EA8AE577B1A66CB3BD92679B8030CA54EE631976BD3A04547FDCB4639FA69");
  Bytes out(pt.size());
  crypto::aes_ige_encrypt(std::span<const uint8_t, 32>(key), std::span<const uint8_t, 32>(iv), pt, out);
  CHECK(to_hex(out) == to_hex(ct));
  Bytes back(ct.size());
  crypto::aes_ige_decrypt(std::span<const uint8_t, 32>(key), std::span<const uint8_t, 32>(iv), ct, back);
  CHECK(to_hex(back) == to_hex(pt));
}

TEST_CASE("AES-IGE fast encrypt equals the reference for many sizes, in place too") {
  std::mt19937 rng(1234);
  std::array<uint8_t, 32> key, iv;
  for (auto& b : key) b = uint8_t(rng());
  for (auto& b : iv) b = uint8_t(rng());
  for (size_t blocks : {1u, 2u, 3u, 1023u, 1024u, 1025u, 3000u}) {
    Bytes pt(blocks * 16);
    for (auto& b : pt) b = uint8_t(rng());
    Bytes ref(pt.size()), fast(pt.size());
    crypto::aes_ige_encrypt_reference(key, iv, pt, ref);
    crypto::aes_ige_encrypt(key, iv, pt, fast);
    REQUIRE(fast == ref);
    Bytes inplace = pt;
    crypto::aes_ige_encrypt(key, iv, inplace, inplace);
    REQUIRE(inplace == ref);
    Bytes dec(pt.size());
    crypto::aes_ige_decrypt(key, iv, ref, dec);
    REQUIRE(dec == pt);
  }
}
