#include "crypto/aes_ni_sha.hpp"

#include <cstring>
#include <stdexcept>
#include <type_traits>

#include "crypto/aes_ni.hpp"

#if defined(__x86_64__) || defined(__i386__)
#define TGGET_HAVE_X86 1
#include <cpuid.h>
#include <immintrin.h>

#include "crypto/aes_ni_rounds.hpp"
#include "crypto/sha256_constants.hpp"
#endif

namespace mtp::crypto::aes_ni {

#ifdef TGGET_HAVE_X86

#define TGGET_SHANI __attribute__((target("sha,ssse3,sse4.1")))

namespace {

using namespace detail;

constexpr const std::uint32_t* kRoundConstants = mtp::crypto::detail::kSha256RoundConstants;

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

#define TGGET_FUSED __attribute__((target("aes,sha,ssse3,sse4.1")))

// One SHA-256 block compression, cut into its 16 groups of 4 rounds so the decryption loop can
// interleave them with its AES rounds. Both are dependency chains that leave most of the core idle;
// issued side by side in small pieces, the out-of-order core runs them at the same time (issued as
// two long runs, the waiting instructions of one chain fill the scheduler before the other starts).
struct ShaBlockJob {
  __m128i abef, cdgh, abef_in, cdgh_in;
  __m128i w[4];  // w[g % 4] = message words 4g..4g+3
};

TGGET_FUSED inline void sha_begin(ShaBlockJob& job, const ShaState& s, const std::uint8_t* data) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  job.abef = job.abef_in = s.abef;
  job.cdgh = job.cdgh_in = s.cdgh;
  for (int g = 0; g < 4; ++g) {
    job.w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byte_swap);
  }
}

template <int G>
TGGET_FUSED inline void sha_group(ShaBlockJob& job) {
  __m128i* w = job.w;
  if constexpr (G >= 4) {
    __m128i t = _mm_sha256msg1_epu32(w[G & 3], w[(G + 1) & 3]);
    t = _mm_add_epi32(t, _mm_alignr_epi8(w[(G + 3) & 3], w[(G + 2) & 3], 4));
    w[G & 3] = _mm_sha256msg2_epu32(t, w[(G + 3) & 3]);
  }
  const __m128i wk = _mm_add_epi32(w[G & 3], _mm_load_si128(reinterpret_cast<const __m128i*>(kRoundConstants + 4 * G)));
  job.cdgh = _mm_sha256rnds2_epu32(job.cdgh, job.abef, wk);
  job.abef = _mm_sha256rnds2_epu32(job.abef, job.cdgh, _mm_shuffle_epi32(wk, 0x0E));
}

TGGET_FUSED inline void sha_end(const ShaBlockJob& job, ShaState& s) {
  s.abef = _mm_add_epi32(job.abef, job.abef_in);
  s.cdgh = _mm_add_epi32(job.cdgh, job.cdgh_in);
}

struct NoSha {};

// One IGE decryption block with the fused-key chain of aes_ni_rounds.hpp's ige_chain, optionally
// carrying SHA groups G0..G0+3 between its rounds.
struct IgeState {
  __m128i state, cur_in, prev_in;
};

template <int G0, class Job>
TGGET_FUSED inline void decrypt_block(IgeState& c, const __m128i d[15], __m128i first_and_last,
                                      const std::uint8_t* next, std::uint8_t* out, Job& job) {
  const __m128i next_in = load(next);
  const __m128i next_pre = _mm_xor_si128(next_in, d[0]);
  const __m128i fused_key = _mm_xor_si128(_mm_xor_si128(first_and_last, c.prev_in), next_in);
  __m128i s = c.state;
  constexpr bool kSha = std::is_same_v<Job, ShaBlockJob>;
  s = _mm_aesdec_si128(s, d[1]);
  s = _mm_aesdec_si128(s, d[2]);
  s = _mm_aesdec_si128(s, d[3]);
  if constexpr (kSha) sha_group<G0>(job);
  s = _mm_aesdec_si128(s, d[4]);
  s = _mm_aesdec_si128(s, d[5]);
  s = _mm_aesdec_si128(s, d[6]);
  if constexpr (kSha) sha_group<G0 + 1>(job);
  s = _mm_aesdec_si128(s, d[7]);
  s = _mm_aesdec_si128(s, d[8]);
  s = _mm_aesdec_si128(s, d[9]);
  if constexpr (kSha) sha_group<G0 + 2>(job);
  s = _mm_aesdec_si128(s, d[10]);
  s = _mm_aesdec_si128(s, d[11]);
  s = _mm_aesdec_si128(s, d[12]);
  if constexpr (kSha) sha_group<G0 + 3>(job);
  s = _mm_aesdec_si128(s, d[13]);
  c.state = _mm_aesdeclast_si128(s, fused_key);
  store(out, _mm_xor_si128(c.state, next_pre));
  c.prev_in = c.cur_in;
  c.cur_in = next_in;
}

template <class Job>
TGGET_FUSED inline void decrypt_group(IgeState& c, const __m128i d[15], __m128i first_and_last,
                                      const std::uint8_t* in, std::uint8_t* out, Job& job) {
  decrypt_block<0>(c, d, first_and_last, in + 16, out, job);
  decrypt_block<4>(c, d, first_and_last, in + 32, out + 16, job);
  decrypt_block<8>(c, d, first_and_last, in + 48, out + 32, job);
  decrypt_block<12>(c, d, first_and_last, in + 64, out + 48, job);
}

// IGE decryption of `blocks` blocks with SHA-256 of prefix || plaintext computed along the way.
// Groups of 4 blocks (64 bytes) each hash the 64-byte SHA block completed before the group began.
// Returns how many stream bytes were hashed; the caller finishes the rest.
TGGET_FUSED std::size_t decrypt_hashing(const std::uint8_t* key, const std::uint8_t* iv, const std::uint8_t* in,
                                        std::uint8_t* out, std::size_t blocks, ShaState& sha,
                                        const std::uint8_t* prefix, std::size_t prefix_len) {
  __m128i d[15];
  expand_decrypt_keys(key, d);
  if (blocks == 0) return 0;
  const __m128i first_and_last = _mm_xor_si128(d[0], d[14]);
  IgeState c;
  c.prev_in = load(iv);  // C_0
  c.cur_in = load(in);
  c.state = _mm_xor_si128(_mm_xor_si128(c.cur_in, d[0]), load(iv + kBlock));  // ^ P_0

  std::size_t hashed = 0;  // stream bytes (prefix || plaintext) already hashed
  std::uint8_t first[64];
  std::size_t i = 0;
  // Main loop: whole groups for which block i + 4 (the next group's first input) exists.
  for (; i + 4 < blocks; i += 4) {
    const std::size_t ready = prefix_len + 16 * i;  // stream bytes decrypted before this group
    if (hashed + 64 <= ready) {
      // Not out + (hashed - prefix_len) first: while hashed < prefix_len that points before out
      // (an unsigned wrap, undefined even if never dereferenced).
      const std::uint8_t* data = first;
      if (hashed < prefix_len) {  // the first SHA block straddles the prefix
        std::memcpy(first, prefix, prefix_len);
        std::memcpy(first + prefix_len, out, 64 - prefix_len);
      } else {
        data = out + (hashed - prefix_len);
      }
      ShaBlockJob job;
      sha_begin(job, sha, data);
      decrypt_group(c, d, first_and_last, in + 16 * i, out + 16 * i, job);
      sha_end(job, sha);
      hashed += 64;
    } else {
      NoSha none;
      decrypt_group(c, d, first_and_last, in + 16 * i, out + 16 * i, none);
    }
  }
  // The last 1..4 blocks, the final one without a successor.
  NoSha none;
  for (; i + 1 < blocks; ++i) decrypt_block<0>(c, d, first_and_last, in + 16 * (i + 1), out + 16 * i, none);
  __m128i s = c.state;
  for (int r = 1; r < 14; ++r) s = _mm_aesdec_si128(s, d[r]);
  store(out + 16 * i, _mm_aesdeclast_si128(s, _mm_xor_si128(d[14], c.prev_in)));

  // Whatever whole SHA blocks the loop did not get to.
  const std::size_t total = prefix_len + 16 * blocks;
  for (; hashed + 64 <= total; hashed += 64) {
    if (hashed < prefix_len) {
      std::memcpy(first, prefix, prefix_len);
      std::memcpy(first + prefix_len, out, 64 - prefix_len);
      compress_block(sha, first);
    } else {
      compress_block(sha, out + (hashed - prefix_len));
    }
  }
  return hashed;
}

bool cpu_has_sha() {
  unsigned a = 0, b = 0, c = 0, d = 0;
  if (!__get_cpuid_count(7, 0, &a, &b, &c, &d)) return false;
  return (b & (1u << 29)) != 0;  // CPUID.(EAX=7,ECX=0):EBX.SHA[bit 29]
}

void require(bool ok, const char* what) {
  if (!ok) throw std::logic_error(what);
}

// The (F,E,B,A) / (H,G,D,C) register layout from and to h0..h7.
TGGET_SHANI ShaState load_state(const std::uint32_t h[8]) {
  return {_mm_set_epi32(static_cast<int>(h[0]), static_cast<int>(h[1]), static_cast<int>(h[4]), static_cast<int>(h[5])),
          _mm_set_epi32(static_cast<int>(h[2]), static_cast<int>(h[3]), static_cast<int>(h[6]), static_cast<int>(h[7]))};
}

TGGET_SHANI void store_state(const ShaState& s, std::uint32_t h[8]) {
  alignas(16) std::uint32_t abef[4], cdgh[4];
  _mm_store_si128(reinterpret_cast<__m128i*>(abef), s.abef);
  _mm_store_si128(reinterpret_cast<__m128i*>(cdgh), s.cdgh);
  const std::uint32_t out[8] = {abef[3], abef[2], cdgh[3], cdgh[2], abef[1], abef[0], cdgh[1], cdgh[0]};
  std::memcpy(h, out, sizeof out);
}

TGGET_SHANI void compress_2x(ShaState& a, ShaState& b, const std::uint8_t* data) {
  const __m128i byte_swap = _mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i a_abef = a.abef, a_cdgh = a.cdgh, b_abef = b.abef, b_cdgh = b.cdgh;
  __m128i w[4];
#pragma GCC unroll 16
  for (int g = 0; g < 16; ++g) {
    if (g < 4) {
      w[g] = _mm_shuffle_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(data + 16 * g)), byte_swap);
    } else {
      __m128i t = _mm_sha256msg1_epu32(w[g & 3], w[(g + 1) & 3]);
      t = _mm_add_epi32(t, _mm_alignr_epi8(w[(g + 3) & 3], w[(g + 2) & 3], 4));
      w[g & 3] = _mm_sha256msg2_epu32(t, w[(g + 3) & 3]);
    }
    const __m128i wk =
        _mm_add_epi32(w[g & 3], _mm_load_si128(reinterpret_cast<const __m128i*>(kRoundConstants + 4 * g)));
    const __m128i wk_hi = _mm_shuffle_epi32(wk, 0x0E);
    a_cdgh = _mm_sha256rnds2_epu32(a_cdgh, a_abef, wk);
    b_cdgh = _mm_sha256rnds2_epu32(b_cdgh, b_abef, wk);
    a_abef = _mm_sha256rnds2_epu32(a_abef, a_cdgh, wk_hi);
    b_abef = _mm_sha256rnds2_epu32(b_abef, b_cdgh, wk_hi);
  }
  a.abef = _mm_add_epi32(a.abef, a_abef);
  a.cdgh = _mm_add_epi32(a.cdgh, a_cdgh);
  b.abef = _mm_add_epi32(b.abef, b_abef);
  b.cdgh = _mm_add_epi32(b.cdgh, b_cdgh);
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

void sha256_blocks(std::uint32_t h[8], const std::uint8_t* data, std::size_t blocks) {
  require(sha_available(), "aes_ni::sha256_blocks called on a CPU without SHA-NI");
  ShaState s = load_state(h);
  for (std::size_t k = 0; k < blocks; ++k) compress_block(s, data + 64 * k);
  store_state(s, h);
}

void sha256_blocks_2x(std::uint32_t ha[8], std::uint32_t hb[8], const std::uint8_t* data, std::size_t blocks) {
  require(sha_available(), "aes_ni::sha256_blocks_2x called on a CPU without SHA-NI");
  ShaState a = load_state(ha), b = load_state(hb);
  for (std::size_t k = 0; k < blocks; ++k) compress_2x(a, b, data + 64 * k);
  store_state(a, ha);
  store_state(b, hb);
}

Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                                ByteSpan prefix, ByteSpan in, MutableByteSpan out) {
  require(sha_available(), "aes_ni::ige_decrypt_sha256 called on a CPU without AES-NI/SHA-NI");
  if (in.size() % 16 != 0 || in.size() != out.size() || prefix.size() % 16 != 0 || prefix.size() > 48) {
    throw std::invalid_argument("ige_decrypt_sha256: sizes must be multiples of 16, prefix <= 48 bytes");
  }
  ShaState s = initial_state();
  const std::size_t hashed =
      decrypt_hashing(key.data(), iv.data(), in.data(), out.data(), in.size() / 16, s, prefix.data(), prefix.size());

  // Gather what is left of prefix || plaintext for the final padded block.
  const std::size_t total = prefix.size() + out.size();
  std::uint8_t tail[64];
  for (std::size_t k = hashed; k < total; ++k) {
    tail[k - hashed] = k < prefix.size() ? prefix[k] : out[k - prefix.size()];
  }
  return finish(s, tail, total - hashed, total);
}

#else  // not x86

bool sha_available() { return false; }

Sha256Digest sha256(ByteSpan) { throw std::logic_error("aes_ni::sha256: not an x86 build"); }
void sha256_blocks(std::uint32_t*, const std::uint8_t*, std::size_t) {
  throw std::logic_error("aes_ni::sha256_blocks: not an x86 build");
}
void sha256_blocks_2x(std::uint32_t*, std::uint32_t*, const std::uint8_t*, std::size_t) {
  throw std::logic_error("aes_ni::sha256_blocks_2x: not an x86 build");
}

Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32>, std::span<const std::uint8_t, 32>, ByteSpan,
                                ByteSpan, MutableByteSpan) {
  throw std::logic_error("aes_ni::ige_decrypt_sha256: not an x86 build");
}

#endif

}  // namespace mtp::crypto::aes_ni
