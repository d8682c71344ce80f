#pragma once
// SHA-1 and SHA-256 through OpenSSL EVP (SHA-NI where the CPU has it).
#include <array>
#include <cstdint>
#include <initializer_list>

#include "core/bytes.hpp"

namespace mtp::crypto {

using Sha1Digest = std::array<std::uint8_t, 20>;
using Sha256Digest = std::array<std::uint8_t, 32>;

// One-shot digests over the concatenation of the given pieces.
Sha1Digest sha1(std::initializer_list<ByteSpan> pieces);
Sha256Digest sha256(std::initializer_list<ByteSpan> pieces);
inline Sha1Digest sha1(ByteSpan data) { return sha1({data}); }
inline Sha256Digest sha256(ByteSpan data) { return sha256({data}); }

// Incremental SHA-256 for data that arrives in pieces (file hashes, SRP transcripts).
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(ByteSpan data);
  Sha256Digest finish();

 private:
  struct Impl;
  Impl* impl_;
};

}  // namespace mtp::crypto
