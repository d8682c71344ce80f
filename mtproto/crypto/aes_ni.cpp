#include "crypto/aes_ni.hpp"

#include <stdexcept>

#if defined(__x86_64__) || defined(__i386__)
#define TGGET_HAVE_X86 1
#include "crypto/aes_ni_rounds.hpp"
#endif

namespace mtp::crypto::aes_ni {
namespace {

constexpr std::size_t kIgeUnit = 16;

void check_sizes(ByteSpan in, MutableByteSpan out) {
  if (in.size() % kIgeUnit != 0 || in.size() != out.size()) {
    throw std::invalid_argument("AES-IGE: size must be a multiple of 16 and in/out sizes equal");
  }
}

}  // namespace

#ifdef TGGET_HAVE_X86

namespace {

using namespace detail;

TGGET_AESNI void ige_encrypt_impl(const std::uint8_t* key, const std::uint8_t* iv, const std::uint8_t* in,
                                  std::uint8_t* out, std::size_t blocks) {
  __m128i k[15];
  expand_encrypt_keys(key, k);
  // Encryption: out = ciphertext, in = plaintext; iv = (C_0, P_0).
  ige_chain<true>(k, load(iv), load(iv + kBlock), in, out, blocks);
}

TGGET_AESNI void ige_decrypt_impl(const std::uint8_t* key, const std::uint8_t* iv, const std::uint8_t* in,
                                  std::uint8_t* out, std::size_t blocks) {
  __m128i d[15];
  expand_decrypt_keys(key, d);
  // Decryption: out = plaintext, in = ciphertext; iv = (C_0, P_0) so the roles swap.
  ige_chain<false>(d, load(iv + kBlock), load(iv), in, out, blocks);
}

}  // namespace

bool available() {
  static const bool has = __builtin_cpu_supports("aes") && __builtin_cpu_supports("sse4.1");
  return has;
}

void ige_encrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv, ByteSpan in,
                 MutableByteSpan out) {
  check_sizes(in, out);
  if (!available()) throw std::logic_error("aes_ni::ige_encrypt called on a CPU without AES-NI");
  ige_encrypt_impl(key.data(), iv.data(), in.data(), out.data(), in.size() / kIgeUnit);
}

void ige_decrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv, ByteSpan in,
                 MutableByteSpan out) {
  check_sizes(in, out);
  if (!available()) throw std::logic_error("aes_ni::ige_decrypt called on a CPU without AES-NI");
  ige_decrypt_impl(key.data(), iv.data(), in.data(), out.data(), in.size() / kIgeUnit);
}

#else  // not x86: no AES-NI; aes_ige.cpp uses the EVP paths.

bool available() { return false; }

void ige_encrypt(std::span<const std::uint8_t, 32>, std::span<const std::uint8_t, 32>, ByteSpan in,
                 MutableByteSpan out) {
  check_sizes(in, out);
  throw std::logic_error("aes_ni::ige_encrypt: not an x86 build");
}

void ige_decrypt(std::span<const std::uint8_t, 32>, std::span<const std::uint8_t, 32>, ByteSpan in,
                 MutableByteSpan out) {
  check_sizes(in, out);
  throw std::logic_error("aes_ni::ige_decrypt: not an x86 build");
}

#endif

}  // namespace mtp::crypto::aes_ni
