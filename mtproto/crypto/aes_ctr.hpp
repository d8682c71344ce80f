#pragma once
// AES-256-CTR as one continuous keystream (obfuscated transport, CDN file parts).
#include <span>

#include "core/bytes.hpp"

namespace mtp::crypto {

class AesCtr256 {
 public:
  AesCtr256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 16> iv);
  ~AesCtr256();
  AesCtr256(AesCtr256&& other) noexcept;
  AesCtr256& operator=(AesCtr256&& other) noexcept;
  AesCtr256(const AesCtr256&) = delete;
  AesCtr256& operator=(const AesCtr256&) = delete;

  // XORs the next data.size() keystream bytes into data, in place. The stream continues across calls.
  void apply(MutableByteSpan data);
  // Same, from in to out (equal sizes; may alias exactly).
  void apply(ByteSpan in, MutableByteSpan out);

 private:
  void* ctx_;  // EVP_CIPHER_CTX
};

}  // namespace mtp::crypto
