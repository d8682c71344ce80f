// AES-256-IGE: published vectors, the AES-NI chain against the per-block EVP reference, and round trips.
#include <catch2/catch.hpp>

#include <functional>
#include <random>
#include <stdexcept>
#include <string>

#include "crypto/aes_ige.hpp"
#include "crypto/aes_ni.hpp"
#include "crypto_test_support.hpp"

using crypto_test::random_bytes;

using namespace mtp;

namespace {

using Key = std::span<const std::uint8_t, 32>;
using IgeFn = std::function<void(Key, Key, ByteSpan, MutableByteSpan)>;

Key k32(const Bytes& b) {
  REQUIRE(b.size() == 32);
  return Key(b.data(), 32);
}

Bytes ascii(const std::string& s) { return Bytes(s.begin(), s.end()); }

struct Impl {
  const char* name;
  IgeFn fn;
};

// Every encryption implementation this machine can run; the dispatching one is always first.
std::vector<Impl> encrypt_impls() {
  std::vector<Impl> v{{"aes_ige_encrypt", crypto::aes_ige_encrypt},
                      {"cbc_mapped", crypto::aes_ige_encrypt_cbc_mapped},
                      {"reference", crypto::aes_ige_encrypt_reference}};
  if (crypto::aes_ni::available()) v.push_back({"aes_ni", crypto::aes_ni::ige_encrypt});
  return v;
}

std::vector<Impl> decrypt_impls() {
  std::vector<Impl> v{{"aes_ige_decrypt", crypto::aes_ige_decrypt}, {"reference", crypto::aes_ige_decrypt_reference}};
  if (crypto::aes_ni::available()) v.push_back({"aes_ni", crypto::aes_ni::ige_decrypt});
  return v;
}

// Checks one known (key, iv, plaintext, ciphertext) quadruple through every implementation, both
// into a separate buffer and in place.
void check_vector(const Bytes& key, const Bytes& iv, const Bytes& pt, const Bytes& ct) {
  for (const Impl& impl : encrypt_impls()) {
    INFO("encrypt via " << impl.name);
    Bytes out(pt.size());
    impl.fn(k32(key), k32(iv), pt, out);
    CHECK(to_hex(out) == to_hex(ct));
    Bytes inplace = pt;
    impl.fn(k32(key), k32(iv), inplace, inplace);
    CHECK(to_hex(inplace) == to_hex(ct));
  }
  for (const Impl& impl : decrypt_impls()) {
    INFO("decrypt via " << impl.name);
    Bytes out(ct.size());
    impl.fn(k32(key), k32(iv), ct, out);
    CHECK(to_hex(out) == to_hex(pt));
    Bytes inplace = ct;
    impl.fn(k32(key), k32(iv), inplace, inplace);
    CHECK(to_hex(inplace) == to_hex(pt));
  }
}

Bytes counting(std::size_t n) {
  Bytes b(n);
  for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<std::uint8_t>(i);
  return b;
}

}  // namespace

TEST_CASE("AES-IGE: this CPU's path is reported") {
  // Not an assertion about the machine; makes the log say which path the other tests exercised.
  WARN("AES-NI path " << (crypto::aes_ige_uses_aes_ni() ? "in use" : "NOT available: EVP fallback tested only"));
  CHECK(crypto::aes_ige_uses_aes_ni() == crypto::aes_ni::available());
}

TEST_CASE("AES-IGE: grammers vectors (VECTORS.md section 4)") {
  // Lonami/grammers grammers-crypto tests: key = iv = plaintext = 00..1F.
  const Bytes k = counting(32);
  check_vector(k, k, k, from_hex("E28112A53E5C89C7B1EA8071C133699FD4E86B26C4BAC9FC5AF1AB8CE27A44A4"));
  // ... and decryption of ciphertext 00..1F with the same key and iv.
  check_vector(k, k, from_hex("E5777AFACD7B2C16F7AC40CAE61EF603FEE6098FB8A8860AB9EE672CD7E5BACC"), k);
}

TEST_CASE("AES-IGE: OpenSSL igetest vector (VECTORS.md section 4)") {
  check_vector(from_hex("5468697320697320616E20696D706C655468697320697320616E20696D706C65"),
               from_hex("6D656E746174696F6E206F6620494745206D6F646520666F72204F70656E5353"),
               from_hex("99706487A1CDE613BC6DE0B6F24B1C7AA448C8B9C3403E3467A8CAD89340F53B"),
               from_hex("792EA8AE577B1A66CB3BD92679B8030CA54EE631976BD3A04547FDCB4639FA69"));
}

TEST_CASE("AES-IGE: gramjs vector (VECTORS.md section 4)") {
  check_vector(ascii("the key needs 32 characters long"), ascii("the iv needs 32 characters long."),
               ascii("this should hold a 64 characters long string. only 10 more left."),
               from_hex("4A657A834EDC2956EC95B2A42EC8C1F2D1F0A6028AC26FD830ED23855574B4E6"
                        "9DD1A2BE2BA18A53A49B879B245E1065E14B6E8AC5BA9B24BEFAFF3209B77B5F"));
}

TEST_CASE("AES-IGE: every implementation equals the reference for 0..300 blocks and large sizes") {
  std::mt19937_64 rng(20261122);
  std::vector<std::size_t> blocks;
  for (std::size_t b = 0; b <= 300; ++b) blocks.push_back(b);
  for (std::size_t b : {1023u, 1024u, 1025u, 4096u, 65535u, 65536u}) blocks.push_back(b);
  for (std::size_t n : blocks) {
    const Bytes key = random_bytes(rng, 32), iv = random_bytes(rng, 32), pt = random_bytes(rng, n * 16);
    Bytes ref_ct(pt.size()), ref_pt(pt.size());
    crypto::aes_ige_encrypt_reference(k32(key), k32(iv), pt, ref_ct);
    crypto::aes_ige_decrypt_reference(k32(key), k32(iv), ref_ct, ref_pt);
    REQUIRE(ref_pt == pt);
    for (const Impl& impl : encrypt_impls()) {
      INFO(impl.name << " encrypt, " << n << " blocks");
      Bytes out(pt.size());
      impl.fn(k32(key), k32(iv), pt, out);
      REQUIRE(out == ref_ct);
      Bytes inplace = pt;
      impl.fn(k32(key), k32(iv), inplace, inplace);
      REQUIRE(inplace == ref_ct);
    }
    for (const Impl& impl : decrypt_impls()) {
      INFO(impl.name << " decrypt, " << n << " blocks");
      Bytes out(pt.size());
      impl.fn(k32(key), k32(iv), ref_ct, out);
      REQUIRE(out == pt);
      Bytes inplace = ref_ct;
      impl.fn(k32(key), k32(iv), inplace, inplace);
      REQUIRE(inplace == pt);
    }
  }
}

TEST_CASE("AES-IGE: round trips from 16 B to 1 MiB, in place and not") {
  std::mt19937_64 rng(7);
  for (std::size_t size = 16; size <= (1u << 20); size *= 2) {
    for (std::size_t n : {size, size + 16 * (rng() % 7 + 1)}) {
      const Bytes key = random_bytes(rng, 32), iv = random_bytes(rng, 32), pt = random_bytes(rng, n);
      Bytes ct(n);
      crypto::aes_ige_encrypt(k32(key), k32(iv), pt, ct);
      REQUIRE(ct != pt);
      Bytes back(n);
      crypto::aes_ige_decrypt(k32(key), k32(iv), ct, back);
      REQUIRE(back == pt);
      Bytes buf = pt;
      crypto::aes_ige_encrypt(k32(key), k32(iv), buf, buf);
      REQUIRE(buf == ct);
      crypto::aes_ige_decrypt(k32(key), k32(iv), buf, buf);
      REQUIRE(buf == pt);
    }
  }
}

TEST_CASE("AES-IGE: a changed ciphertext block garbles the rest of the message (IGE propagates)") {
  std::mt19937_64 rng(99);
  const Bytes key = random_bytes(rng, 32), iv = random_bytes(rng, 32), pt = random_bytes(rng, 64 * 16);
  Bytes ct(pt.size());
  crypto::aes_ige_encrypt(k32(key), k32(iv), pt, ct);
  ct[10 * 16 + 3] ^= 1;
  Bytes back(ct.size());
  crypto::aes_ige_decrypt(k32(key), k32(iv), ct, back);
  CHECK(std::equal(pt.begin(), pt.begin() + 10 * 16, back.begin()));
  for (std::size_t block = 10; block < 64; ++block) {
    INFO("block " << block);
    CHECK_FALSE(std::equal(pt.begin() + block * 16, pt.begin() + (block + 1) * 16, back.begin() + block * 16));
  }
}

TEST_CASE("AES-IGE: sizes that are not whole blocks, or differ, are programmer errors") {
  const Bytes key(32, 1), iv(32, 2);
  Bytes in(20), out(20), out2(32), in2(16);
  CHECK_THROWS_AS(crypto::aes_ige_encrypt(k32(key), k32(iv), in, out), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_ige_decrypt(k32(key), k32(iv), in, out), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_ige_decrypt(k32(key), k32(iv), in2, out2), std::invalid_argument);
  CHECK_THROWS_AS(crypto::aes_ige_encrypt_cbc_mapped(k32(key), k32(iv), in2, out2), std::invalid_argument);
}
