#include "crypto/sha.hpp"

#include <openssl/evp.h>

#include <stdexcept>

namespace mtp::crypto {
namespace {

// EVP_MD objects are fetched once: implicit fetching on every call costs a global lock.
const EVP_MD* md_sha1() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return md;
}
const EVP_MD* md_sha256() {
  static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  return md;
}

template <std::size_t N>
std::array<std::uint8_t, N> digest(const EVP_MD* md, std::initializer_list<ByteSpan> pieces) {
  std::array<std::uint8_t, N> out{};
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  if (!ctx || EVP_DigestInit_ex(ctx, md, nullptr) != 1) throw std::runtime_error("EVP digest init failed");
  for (ByteSpan p : pieces) EVP_DigestUpdate(ctx, p.data(), p.size());
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx, out.data(), &len);
  EVP_MD_CTX_free(ctx);
  return out;
}

}  // namespace

Sha1Digest sha1(std::initializer_list<ByteSpan> pieces) { return digest<20>(md_sha1(), pieces); }
Sha256Digest sha256(std::initializer_list<ByteSpan> pieces) { return digest<32>(md_sha256(), pieces); }

struct Sha256::Impl {
  EVP_MD_CTX* ctx = nullptr;
};

Sha256::Sha256() : impl_(new Impl) {
  impl_->ctx = EVP_MD_CTX_new();
  if (!impl_->ctx || EVP_DigestInit_ex(impl_->ctx, md_sha256(), nullptr) != 1) {
    throw std::runtime_error("EVP digest init failed");
  }
}

Sha256::~Sha256() {
  EVP_MD_CTX_free(impl_->ctx);
  delete impl_;
}

void Sha256::update(ByteSpan data) { EVP_DigestUpdate(impl_->ctx, data.data(), data.size()); }

Sha256Digest Sha256::finish() {
  Sha256Digest out{};
  unsigned int len = 0;
  EVP_DigestFinal_ex(impl_->ctx, out.data(), &len);
  EVP_DigestInit_ex(impl_->ctx, md_sha256(), nullptr);
  return out;
}

}  // namespace mtp::crypto
