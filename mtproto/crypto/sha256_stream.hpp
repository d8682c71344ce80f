#pragma once
// Incremental SHA-256 whose state is a plain value (copy it to try bytes that may be rejected), and
// two digests of the same bytes in one pass. The download engine hashes each part twice while it
// is still in the receive buffer: per 128 KiB window (checked against upload.getFileHashes) and
// into the whole file's SHA-256, which then never has to be read back from disk. On SHA-NI the
// two share the message schedule and their round chains interleave (sha256_blocks_2x).
#include <array>
#include <cstdint>

#include "core/bytes.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto {

class Sha256Stream {
 public:
  Sha256Stream();
  void update(ByteSpan data);
  // The digest of everything so far; the stream itself is unchanged (more may follow).
  Sha256Digest digest() const;
  std::uint64_t length() const { return length_; }

  // a.update(data); b.update(data); in one pass.
  friend void update_both(Sha256Stream& a, Sha256Stream& b, ByteSpan data);

 private:
  void absorb(const std::uint8_t* data, std::size_t blocks);

  std::array<std::uint32_t, 8> h_;
  std::array<std::uint8_t, 64> buffer_{};
  std::uint64_t length_ = 0;  // bytes given; length_ % 64 of them wait in buffer_
};

void update_both(Sha256Stream& a, Sha256Stream& b, ByteSpan data);

namespace detail {
// The compression used where the CPU has no SHA-NI (exposed so tests check it on every CPU).
void sha256_blocks_portable(std::uint32_t h[8], const std::uint8_t* data, std::size_t blocks);
}  // namespace detail

}  // namespace mtp::crypto
