#pragma once
// Internal to aes_ni*.cpp: AES-256 key schedule and the IGE chain on AES-NI intrinsics.
// Every function carries its own target attribute, so only code that includes this header and has
// checked aes_ni::available() at run time executes AES-NI instructions.
#if !defined(__x86_64__) && !defined(__i386__)
#error "aes_ni_rounds.hpp is x86-only"
#endif

#include <wmmintrin.h>
#include <smmintrin.h>

#include <cstddef>
#include <cstdint>

#define TGGET_AESNI __attribute__((target("aes,sse4.1")))

namespace mtp::crypto::aes_ni::detail {

constexpr std::size_t kBlock = 16;

// One AES-256 key-schedule step: w ^= w << 32 ^ w << 64 ^ w << 96, then ^= the broadcast word.
TGGET_AESNI inline __m128i schedule_mix(__m128i w, __m128i broadcast) {
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  w = _mm_xor_si128(w, _mm_slli_si128(w, 4));
  return _mm_xor_si128(w, broadcast);
}

// Even round keys: RotWord(SubWord(last word)) ^ rcon of the previous key (lane 3 of keygenassist).
template <int Rcon>
TGGET_AESNI inline __m128i even_key(__m128i two_back, __m128i one_back) {
  return schedule_mix(two_back, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(one_back, Rcon), 0xff));
}

// Odd round keys: SubWord(last word) without rotation or rcon (lane 2 of keygenassist).
TGGET_AESNI inline __m128i odd_key(__m128i two_back, __m128i one_back) {
  return schedule_mix(two_back, _mm_shuffle_epi32(_mm_aeskeygenassist_si128(one_back, 0), 0xaa));
}

// The 15 encryption round keys of AES-256 (FIPS-197 key expansion).
TGGET_AESNI inline void expand_encrypt_keys(const std::uint8_t* key, __m128i k[15]) {
  k[0] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key));
  k[1] = _mm_loadu_si128(reinterpret_cast<const __m128i*>(key + 16));
  k[2] = even_key<0x01>(k[0], k[1]);
  k[3] = odd_key(k[1], k[2]);
  k[4] = even_key<0x02>(k[2], k[3]);
  k[5] = odd_key(k[3], k[4]);
  k[6] = even_key<0x04>(k[4], k[5]);
  k[7] = odd_key(k[5], k[6]);
  k[8] = even_key<0x08>(k[6], k[7]);
  k[9] = odd_key(k[7], k[8]);
  k[10] = even_key<0x10>(k[8], k[9]);
  k[11] = odd_key(k[9], k[10]);
  k[12] = even_key<0x20>(k[10], k[11]);
  k[13] = odd_key(k[11], k[12]);
  k[14] = even_key<0x40>(k[12], k[13]);
}

// Equivalent inverse cipher keys: reversed order, InvMixColumns on the inner rounds.
TGGET_AESNI inline void expand_decrypt_keys(const std::uint8_t* key, __m128i d[15]) {
  __m128i k[15];
  expand_encrypt_keys(key, k);
  d[0] = k[14];
  for (int i = 1; i < 14; ++i) d[i] = _mm_aesimc_si128(k[14 - i]);
  d[14] = k[0];
}

TGGET_AESNI inline __m128i load(const std::uint8_t* p) {
  return _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
}
TGGET_AESNI inline void store(std::uint8_t* p, __m128i v) { _mm_storeu_si128(reinterpret_cast<__m128i*>(p), v); }

template <bool Encrypt>
TGGET_AESNI inline __m128i inner_rounds(__m128i s, const __m128i k[15]) {
  for (int r = 1; r < 14; ++r) s = Encrypt ? _mm_aesenc_si128(s, k[r]) : _mm_aesdec_si128(s, k[r]);
  return s;
}

template <bool Encrypt>
TGGET_AESNI inline __m128i last_round(__m128i s, __m128i key) {
  return Encrypt ? _mm_aesenclast_si128(s, key) : _mm_aesdeclast_si128(s, key);
}

// Both IGE directions have the shape out_i = F(in_i ^ out_{i-1}) ^ in_{i-1} (F = E or D), a chain
// through out_i. The chain's latency is the whole cost, so everything that can leave it does:
// the last round's AddRoundKey (a plain XOR) also absorbs "^ in_{i-1}" and the next block's
// "^ in_{i+1} ^ k[0]", so its result is directly the next block's initial state and the loop-carried
// path is exactly 14 AES instructions. out_i is recovered off the chain with one XOR.
// prev_out/prev_in are out_0/in_0 from the IV. Every input block is loaded before the output block
// at the same address is stored, so in == out works.
template <bool Encrypt>
TGGET_AESNI inline void ige_chain(const __m128i k[15], __m128i prev_out, __m128i prev_in, const std::uint8_t* in,
                                  std::uint8_t* out, std::size_t blocks) {
  if (blocks == 0) return;
  const __m128i first_and_last = _mm_xor_si128(k[0], k[14]);
  __m128i cur_in = load(in);
  __m128i state = _mm_xor_si128(_mm_xor_si128(cur_in, k[0]), prev_out);
  for (std::size_t i = 0; i + 1 < blocks; ++i) {
    const __m128i next_in = load(in + (i + 1) * kBlock);
    const __m128i next_pre = _mm_xor_si128(next_in, k[0]);  // next block before its chain XOR
    const __m128i fused_key = _mm_xor_si128(_mm_xor_si128(first_and_last, prev_in), next_in);
    state = last_round<Encrypt>(inner_rounds<Encrypt>(state, k), fused_key);  // = out_i ^ next_pre
    store(out + i * kBlock, _mm_xor_si128(state, next_pre));
    prev_in = cur_in;
    cur_in = next_in;
  }
  const __m128i last_key = _mm_xor_si128(k[14], prev_in);
  store(out + (blocks - 1) * kBlock, last_round<Encrypt>(inner_rounds<Encrypt>(state, k), last_key));
}

}  // namespace mtp::crypto::aes_ni::detail
