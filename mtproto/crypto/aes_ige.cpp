#include "crypto/aes_ige.hpp"

#include "crypto/aes_ni.hpp"

#include <openssl/evp.h>

#include <cstring>
#include <stdexcept>

namespace mtp::crypto {
namespace {

constexpr std::size_t kBlock = 16;

struct CipherCtx {
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  ~CipherCtx() { EVP_CIPHER_CTX_free(ctx); }
};

const EVP_CIPHER* cipher(const char* name) {
  if (std::strcmp(name, "AES-256-ECB") == 0) {
    static EVP_CIPHER* ecb = EVP_CIPHER_fetch(nullptr, "AES-256-ECB", nullptr);
    return ecb;
  }
  static EVP_CIPHER* cbc = EVP_CIPHER_fetch(nullptr, "AES-256-CBC", nullptr);
  return cbc;
}

void check_sizes(ByteSpan in, MutableByteSpan out) {
  if (in.size() % kBlock != 0 || in.size() != out.size()) {
    throw std::invalid_argument("AES-IGE: size must be a multiple of 16 and in/out sizes equal");
  }
}

inline void xor_block(std::uint8_t* dst, const std::uint8_t* a, const std::uint8_t* b) {
  for (std::size_t i = 0; i < kBlock; ++i) dst[i] = a[i] ^ b[i];
}

void ige_reference(bool encrypt, std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                   ByteSpan in, MutableByteSpan out) {
  check_sizes(in, out);
  CipherCtx c;
  EVP_CipherInit_ex2(c.ctx, cipher("AES-256-ECB"), key.data(), nullptr, encrypt ? 1 : 0, nullptr);
  EVP_CIPHER_CTX_set_padding(c.ctx, 0);
  std::uint8_t prev_out[kBlock], prev_in[kBlock], x[kBlock], y[kBlock];
  // Encryption chains on (previous ciphertext, previous plaintext); decryption the other way round.
  std::memcpy(encrypt ? prev_out : prev_in, iv.data(), kBlock);
  std::memcpy(encrypt ? prev_in : prev_out, iv.data() + kBlock, kBlock);
  for (std::size_t off = 0; off < in.size(); off += kBlock) {
    std::uint8_t cur_in[kBlock];
    std::memcpy(cur_in, in.data() + off, kBlock);
    xor_block(x, cur_in, prev_out);
    int len = 0;
    EVP_CipherUpdate(c.ctx, y, &len, x, kBlock);
    xor_block(out.data() + off, y, prev_in);
    std::memcpy(prev_out, out.data() + off, kBlock);
    std::memcpy(prev_in, cur_in, kBlock);
  }
}

}  // namespace

void aes_ige_encrypt_reference(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                               ByteSpan in, MutableByteSpan out) {
  ige_reference(true, key, iv, in, out);
}

void aes_ige_decrypt_reference(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                               ByteSpan in, MutableByteSpan out) {
  ige_reference(false, key, iv, in, out);
}

// IGE encryption is C_i = E(P_i ^ C_{i-1}) ^ P_{i-1}. With Y_i = C_i ^ P_{i-1} this becomes
// Y_i = E(X_i ^ Y_{i-1}) where X_i = P_i ^ P_{i-2}: plain CBC over X with IV = C_0, which EVP runs
// at full AES-NI speed in one call per chunk. Then C_i = Y_i ^ P_{i-1}.
void aes_ige_encrypt_cbc_mapped(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                     ByteSpan in, MutableByteSpan out) {
  check_sizes(in, out);
  CipherCtx c;
  EVP_EncryptInit_ex2(c.ctx, cipher("AES-256-CBC"), key.data(), iv.data(), nullptr);
  EVP_CIPHER_CTX_set_padding(c.ctx, 0);

  constexpr std::size_t kChunk = 16 * 1024;
  alignas(16) std::uint8_t buf[kChunk];
  // p_prev2 = P_{i-2}, p_prev1 = P_{i-1} relative to the first block of the chunk.
  std::uint8_t p_prev2[kBlock] = {}, p_prev1[kBlock];
  std::memcpy(p_prev1, iv.data() + kBlock, kBlock);
  bool first_block = true;

  for (std::size_t base = 0; base < in.size(); base += kChunk) {
    std::size_t n = std::min(kChunk, in.size() - base);
    const std::uint8_t* p = in.data() + base;
    // X_i = P_i ^ P_{i-2}; the very first block has no P_{-1} term (its X is P_1).
    for (std::size_t off = 0; off < n; off += kBlock) {
      const std::uint8_t* two_back = off >= 2 * kBlock ? p + off - 2 * kBlock
                                   : off == kBlock    ? p_prev1
                                                      : p_prev2;
      if (first_block) {
        std::memcpy(buf, p, kBlock);
        first_block = false;
      } else {
        xor_block(buf + off, p + off, two_back);
      }
    }
    int len = 0;
    EVP_EncryptUpdate(c.ctx, buf, &len, buf, static_cast<int>(n));
    // Save P_{last-1} and P_{last} before the output may overwrite them (in-place use).
    std::uint8_t next_prev2[kBlock], next_prev1[kBlock];
    std::memcpy(next_prev1, p + n - kBlock, kBlock);
    std::memcpy(next_prev2, n >= 2 * kBlock ? p + n - 2 * kBlock : p_prev1, kBlock);
    // C_i = Y_i ^ P_{i-1}, backwards so an in-place P_{i-1} is read before it is overwritten.
    std::uint8_t* o = out.data() + base;
    for (std::size_t off = n; off > 0; off -= kBlock) {
      std::size_t i = off - kBlock;
      const std::uint8_t* one_back = i >= kBlock ? p + i - kBlock : p_prev1;
      xor_block(o + i, buf + i, one_back);
    }
    std::memcpy(p_prev2, next_prev2, kBlock);
    std::memcpy(p_prev1, next_prev1, kBlock);
  }
}

// The AES-NI chain (aes_ni.cpp) is the fast path for both directions: for encryption it also beats
// the CBC mapping above, which needs two extra passes over the data (crypto_bench, 1 MiB: ~950 vs
// ~640 MB/s). Without AES-NI, encryption keeps the CBC mapping and decryption the per-block reference.
void aes_ige_encrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                     ByteSpan in, MutableByteSpan out) {
  if (aes_ni::available()) {
    aes_ni::ige_encrypt(key, iv, in, out);
  } else {
    aes_ige_encrypt_cbc_mapped(key, iv, in, out);
  }
}

void aes_ige_decrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                     ByteSpan in, MutableByteSpan out) {
  if (aes_ni::available()) {
    aes_ni::ige_decrypt(key, iv, in, out);
  } else {
    ige_reference(false, key, iv, in, out);
  }
}

bool aes_ige_uses_aes_ni() { return aes_ni::available(); }

}  // namespace mtp::crypto
