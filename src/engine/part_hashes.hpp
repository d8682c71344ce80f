#pragma once
// Verification against upload.getFileHashes: Telegram gives the SHA-256 of each window (128 KiB)
// of a file. A part's own windows are hashed while its bytes are still in the receive buffer
// (no second read, no copy), and compared once the server's hashes for that range are known.
// Pure: the scheduler fetches the hashes and decides what to do with a verdict.
#include <cstdint>
#include <map>
#include <vector>

#include "core/bytes.hpp"
#include "crypto/sha.hpp"
#include "crypto/sha256_stream.hpp"

namespace tgget::engine {

inline constexpr std::uint32_t kHashWindow = 128 * 1024;

struct WindowDigest {
  std::uint64_t offset = 0;  // in the file
  std::uint32_t length = 0;
  mtp::crypto::Sha256Digest sha256{};
};

// The digests of every hash window in `bytes`, which start at file offset `offset` (a multiple of
// the window; the last window may be shorter). With `file`, the same bytes also go into that
// running digest of the whole file, in the same pass.
std::vector<WindowDigest> window_digests(std::uint64_t offset, mtp::ByteSpan bytes,
                                         mtp::crypto::Sha256Stream* file = nullptr);

enum class Verdict { kMatch, kMismatch, kUnknown };

class ExpectedHashes {
 public:
  // Hashes from the server (fileHash offset, limit, hash); malformed ones are ignored.
  void add(std::uint64_t offset, std::uint32_t length, mtp::ByteSpan sha256);
  // Every window of a part: all known and equal → kMatch; any known and different → kMismatch;
  // else kUnknown.
  Verdict check(const std::vector<WindowDigest>& digests) const;
  bool known(std::uint64_t offset) const { return by_offset_.count(offset) != 0; }
  // A part's bytes did not match: the hashes of its windows may be the wrong side, so they are
  // asked again before the part is judged once more.
  void forget(const std::vector<WindowDigest>& digests);
  // The windows of [offset, offset + length), checked and no longer needed (bounded memory).
  void forget_range(std::uint64_t offset, std::uint64_t length);
  // The first window offset ≥ `from` (a multiple of the window) the server has not told us.
  std::uint64_t first_unknown(std::uint64_t from) const;

 private:
  struct Entry {
    std::uint32_t length;
    mtp::crypto::Sha256Digest sha256;
  };
  std::map<std::uint64_t, Entry> by_offset_;
};

}  // namespace tgget::engine
