#include "crypto/aes_ctr.hpp"

#include <openssl/evp.h>

#include <limits>
#include <stdexcept>
#include <utility>

namespace mtp::crypto {

static EVP_CIPHER_CTX* as_ctx(void* p) { return static_cast<EVP_CIPHER_CTX*>(p); }

AesCtr256::AesCtr256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 16> iv) {
  static EVP_CIPHER* cipher = EVP_CIPHER_fetch(nullptr, "AES-256-CTR", nullptr);
  EVP_CIPHER_CTX* ctx = EVP_CIPHER_CTX_new();
  if (!ctx || !cipher || EVP_EncryptInit_ex2(ctx, cipher, key.data(), iv.data(), nullptr) != 1) {
    EVP_CIPHER_CTX_free(ctx);
    throw std::runtime_error("AES-256-CTR init failed");
  }
  ctx_ = ctx;
}

AesCtr256::~AesCtr256() { EVP_CIPHER_CTX_free(as_ctx(ctx_)); }

AesCtr256::AesCtr256(AesCtr256&& other) noexcept : ctx_(std::exchange(other.ctx_, nullptr)) {}

AesCtr256& AesCtr256::operator=(AesCtr256&& other) noexcept {
  std::swap(ctx_, other.ctx_);
  return *this;
}

void AesCtr256::apply(MutableByteSpan data) { apply(data, data); }

void AesCtr256::apply(ByteSpan in, MutableByteSpan out) {
  if (in.size() != out.size()) throw std::invalid_argument("AesCtr256::apply: size mismatch");
  std::size_t done = 0;
  while (done < in.size()) {
    // EVP takes int lengths; feed very large buffers in slices.
    int chunk = static_cast<int>(std::min<std::size_t>(in.size() - done, 1 << 30));
    int written = 0;
    EVP_EncryptUpdate(as_ctx(ctx_), out.data() + done, &written, in.data() + done, chunk);
    done += static_cast<std::size_t>(chunk);
  }
}

}  // namespace mtp::crypto
