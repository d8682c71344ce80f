// AES-256-CTR: the obfuscated-transport init of VECTORS.md section 6 (derived; cross-checked there
// against an independent Python implementation) and keystream continuity across calls.
#include <catch2/catch.hpp>

#include <algorithm>
#include <random>

#include "crypto/aes_ctr.hpp"

using namespace mtp;

namespace {

Bytes obfuscation_init() {
  Bytes init(64);
  for (std::size_t i = 0; i < 56; ++i) init[i] = static_cast<std::uint8_t>(i);
  for (std::size_t i = 56; i < 60; ++i) init[i] = 0xEE;  // intermediate transport tag
  for (std::size_t i = 60; i < 64; ++i) init[i] = static_cast<std::uint8_t>(i);
  return init;
}

crypto::AesCtr256 make_ctr(ByteSpan key, ByteSpan iv) {
  REQUIRE(key.size() == 32);
  REQUIRE(iv.size() == 16);
  return crypto::AesCtr256(std::span<const std::uint8_t, 32>(key.data(), 32), std::span<const std::uint8_t, 16>(iv.data(), 16));
}

}  // namespace

TEST_CASE("AES-CTR: obfuscated transport init header and the next packet (VECTORS.md section 6)") {
  const Bytes init = obfuscation_init();
  const ByteSpan enc_key = ByteSpan(init).subspan(8, 32), enc_iv = ByteSpan(init).subspan(40, 16);
  CHECK(to_hex(enc_key) == "08090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f2021222324252627");

  crypto::AesCtr256 client_out = make_ctr(enc_key, enc_iv);
  Bytes encrypted(64);
  client_out.apply(init, encrypted);
  Bytes header(init.begin(), init.begin() + 56);
  header.insert(header.end(), encrypted.begin() + 56, encrypted.end());
  CHECK(to_hex(header) ==
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"
        "202122232425262728292a2b2c2d2e2f30313233343536374618255e223dfd5d");

  // The stream continues: an intermediate packet (length 8, then 8 bytes of 0x11).
  Bytes packet = from_hex("080000001111111111111111");
  client_out.apply(packet);
  CHECK(to_hex(packet) == "3aa9c12829e0745033a081ac");

  // Server side: the same key/iv decrypts the header back to the transport tag.
  crypto::AesCtr256 server_in = make_ctr(enc_key, enc_iv);
  Bytes received = header;
  server_in.apply(received);
  CHECK(to_hex(ByteSpan(received).subspan(56, 4)) == "eeeeeeee");
  server_in.apply(packet);
  CHECK(to_hex(packet) == "080000001111111111111111");

  // The other direction's key/iv come from the reversed init.
  Bytes rev(init.rbegin(), init.rend());
  CHECK(to_hex(ByteSpan(rev).subspan(8, 32)) == "37363534333231302f2e2d2c2b2a292827262524232221201f1e1d1c1b1a1918");
  CHECK(to_hex(ByteSpan(rev).subspan(40, 16)) == "17161514131211100f0e0d0c0b0a0908");
}

TEST_CASE("AES-CTR: the keystream continues across calls of any size") {
  std::mt19937_64 rng(16);
  Bytes key(32), iv(16), data(100000);
  for (auto* v : {&key, &iv, &data}) for (auto& b : *v) b = static_cast<std::uint8_t>(rng());
  // An IV whose counter half is about to wrap: OpenSSL's CTR carries over all 128 bits.
  std::fill(iv.begin() + 8, iv.end(), 0xFF);

  Bytes one_shot(data.size());
  make_ctr(key, iv).apply(data, one_shot);
  REQUIRE(one_shot != data);

  crypto::AesCtr256 pieces = make_ctr(key, iv);
  Bytes buf = data;
  std::size_t pos = 0;
  while (pos < buf.size()) {
    std::size_t len = std::min<std::size_t>(rng() % 50, buf.size() - pos);  // 0..49, mostly unaligned
    pieces.apply(MutableByteSpan(buf).subspan(pos, len));
    pos += len;
  }
  CHECK(buf == one_shot);

  // XOR stream: applying it again with a fresh stream restores the data; moved-to objects continue.
  crypto::AesCtr256 first = make_ctr(key, iv);
  first.apply(MutableByteSpan(buf).first(1000));
  crypto::AesCtr256 moved = std::move(first);
  moved.apply(MutableByteSpan(buf).subspan(1000));
  CHECK(buf == data);
}
