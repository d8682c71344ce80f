#include "crypto/aes_ni_sha.hpp"

#include <cstring>
#include <stdexcept>

#include "crypto/aes_ni.hpp"

#if defined(__x86_64__) || defined(__i386__)
#define TGGET_HAVE_X86 1
#include <cpuid.h>
#include <immintrin.h>

#include "crypto/aes_ni_rounds.hpp"
#endif

namespace mtp::crypto::aes_ni {

#ifdef TGGET_HAVE_X86

#define TGGET_SHANI __attribute__((target("sha,ssse3,sse4.1")))

namespace {

using namespace detail;

alignas(16) constexpr std::uint32_t kRoundConstants[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

// The hash state in the register layout the SHA-NI round instruction wants: lanes (F,E,B,A) and
// (H,G,D,C), lane 0 first.
struct ShaState {
  __m128i abef;
  __m128i cdgh;
};

ShaState initial_state() {
  return {_mm_set_epi32(0x6a09e667, static_cast<int>(0xbb67ae85), 0x510e527f, static_cast<int>(0x9b05688c)),
          _mm_set_epi32(0x3c6ef372, static_cast<int>(0xa54ff53a), 0x1f83d9ab, 0x5be0cd19)};
}

// One 64-byte block (FIPS 180-4 compression): 16 groups of 4 rounds, the message schedule of
// W[16..63] done 4 words at a time with sha256msg1/sha256msg2.
TGGET_SHANI __attribute__((noinline)) void compress_block(ShaState& s, const std::uint8_t* data) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i abef = s.abef, cdgh = s.cdgh;
  __m128i w[4];  // w[g % 4] = message words 4g..4g+3
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    if (g < 4) {
      w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byte_swap);
    } else {
      // W[t] = s1(W[t-2]) + W[t-7] + s0(W[t-15]) + W[t-16]
      __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);        // W[t-16] + s0(W[t-15])
      t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));  // + W[t-7]
      w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);                   // + s1(W[t-2])
    }
    const __m128i wk =
        _mm_add_epi32(w[g & 3], _mm_load_si128(reinterpret_cast<const __m128i*>(kRoundConstants + 4 * g)));
    cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk);                          // rounds 4g, 4g+1
    abef = _mm_sha256rnds2_epu32(abef, cdgh, _mm_shuffle_epi32(wk, 0x0E));  // rounds 4g+2, 4g+3
  }
  s.abef = _mm_add_epi32(s.abef, abef);
  s.cdgh = _mm_add_epi32(s.cdgh, cdgh);
}

// Pads the last 0..63 bytes (FIPS 180-4 5.1.1), compresses them and returns the digest.
Sha256Digest finish(ShaState& s, const std::uint8_t* tail, std::size_t tail_len, std::uint64_t total_len) {
  std::uint8_t buf[128] = {};
  if (tail_len) std::memcpy(buf, tail, tail_len);
  buf[tail_len] = 0x80;
  const std::size_t blocks = tail_len + 9 <= 64 ? 1 : 2;
  const std::uint64_t bits = total_len * 8;
  for (int i = 0; i < 8; ++i) buf[blocks * 64 - 1 - i] = static_cast<std::uint8_t>(bits >> (8 * i));
  for (std::size_t b = 0; b < blocks; ++b) compress_block(s, buf + 64 * b);

  alignas(16) std::uint32_t abef[4], cdgh[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(abef), s.abef);
  _mm_store_si128(reinterpret_cast<__m128i*>(cdgh), s.cdgh);
  const std::uint32_t h[8] = {abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0]};
  Sha256Digest out;
  for (int i = 0; i < 8; ++i) {
    for (int j = 0; j < 4; ++j) out[4 * i + j] = static_cast<std::uint8_t>(h[i] >> (24 - 8 * j));
  }
  return out;
}

// Called by the IGE chain after each plaintext block is stored: as soon as a 64-byte block of
// prefix || plaintext is complete, it is hashed (from L1), overlapping the next blocks' AES rounds.
struct HashAsYouGo {
  ShaState* state;
  const std::uint8_t* prefix;
  std::size_t prefix_len;
  const std::uint8_t* plaintext;

  void operator()(std::size_t block) const {
    const std::size_t end = (block + 1) * 16 + prefix_len;  // stream bytes available so far
    if (end % 64 != 0) return;
    if (end == 64) {
      std::uint8_t first[64];
      std::memcpy(first, prefix, prefix_len);
      std::memcpy(first + prefix_len, plaintext, 64 - prefix_len);
      compress_block(*state, first);
    } else {
      compress_block(*state, plaintext + (end - 64 - prefix_len));
    }
  }
};

TGGET_AESNI void decrypt_hashing(const std::uint8_t* key, const std::uint8_t* iv, const std::uint8_t* in,
                                 std::uint8_t* out, std::size_t blocks, HashAsYouGo& hook) {
  __m128i d[15];
  expand_decrypt_keys(key, d);
  ige_chain<false>(d, load(iv + kBlock), load(iv), in, out, blocks, hook);
}

bool cpu_has_sha() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return (b & (1u << 29)) != 0;  // CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29]
}

void require(bool ok, const char* what) {
  if (!ok) throw std::logic_error(what);
}

}  // namespace

bool sha_available() {
  // __builtin_cpu_supports("sha") is not reliable with GCC 12's libgcc, hence CPUID directly.
  static const bool has = available() && __builtin_cpu_supports("ssse3") && cpu_has_sha();
  return has;
}

Sha256Digest sha256(ByteSpan data) {
  require(sha_available(), "aes_ni::sha256 called on a CPU without SHA-NI");
  ShaState s = initial_state();
  const std::size_t full = data.size() / 64 * 64;
  for (std::size_t off = 0; off < full; off += 64) compress_block(s, data.data() + off);
  return finish(s, data.data() + full, data.size() - full, data.size());
}

Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                                ByteSpan prefix, ByteSpan in, MutableByteSpan out) {
  require(sha_available(), "aes_ni::ige_decrypt_sha256 called on a CPU without AES-NI/SHA-NI");
  if (in.size() % 16 != 0 || in.size() != out.size() || prefix.size() % 16 != 0 || prefix.size() > 48) {
    throw std::invalid_argument("ige_decrypt_sha256: sizes must be multiples of 16, prefix <= 48 bytes");
  }
  ShaState s = initial_state();
  HashAsYouGo hook{&s, prefix.data(), prefix.size(), out.data()};
  decrypt_hashing(key.data(), iv.data(), in.data(), out.data(), in.size() / 16, hook);

  // The chain hashed every complete 64-byte block; gather what is left of prefix || plaintext.
  const std::size_t total = prefix.size() + out.size();
  const std::size_t hashed = total / 64 * 64;
  std::uint8_t tail[64];
  for (std::size_t k = hashed; k < total; ++k) {
    tail[k - hashed] = k < prefix.size() ? prefix[k] : out[k - prefix.size()];
  }
  return finish(s, tail, total - hashed, total);
}

#else  // not x86

bool sha_available() { return false; }

Sha256Digest sha256(ByteSpan) { throw std::logic_error("aes_ni::sha256: not an x86 build"); }

Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32>, std::span<const std::uint8_t, 32>, ByteSpan,
                                ByteSpan, MutableByteSpan) {
  throw std::logic_error("aes_ni::ige_decrypt_sha256: not an x86 build");
}

#endif

}  // namespace mtp::crypto::aes_ni
