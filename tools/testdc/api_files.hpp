#pragma once
// The file side of the API handlers: documents' bytes read with pread from file descriptors opened
// once, file references that carry their issue time, and the per-account parallel-download
// tracking and the byte-rate window behind FLOOD_PREMIUM_WAIT_X, and the count of answers the
// corrupt_range / corrupt_hashes faults have spoilt. Each class is thread-safe.
#include <cstdint>
#include <deque>
#include <map>
#include <mutex>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "world.hpp"

namespace testdc {

// Documents' bytes: generated ones computed (generated_bytes), stored ones read through read-only
// file descriptors per document, opened on first use and kept until destruction.
class FileStore {
 public:
  FileStore() = default;
  ~FileStore();
  FileStore(const FileStore&) = delete;
  FileStore& operator=(const FileStore&) = delete;

  // Up to `limit` bytes at `offset`; fewer at the end of the file (none past it).
  mtp::Result<mtp::Bytes> read(const Document& doc, std::int64_t offset, std::int32_t limit);

 private:
  mtp::Result<int> fd_for(const Document& doc);
  std::mutex mu_;
  std::map<std::int64_t, int> fds_;  // document id -> fd
};

// file_reference bytes: a version byte, the issue time (unix seconds, little-endian), the document
// id, and a tag keyed by the world's seed, so references survive a restart of the same world but
// cannot be forged or moved to another document.
class FileReferences {
 public:
  explicit FileReferences(std::uint64_t seed);
  mtp::Bytes issue(std::int64_t document_id, std::int64_t now_s) const;
  // "" when valid, else Telegram's error: FILE_REFERENCE_EMPTY / _INVALID / _EXPIRED.
  // Expired once now - issued >= lifetime (so a lifetime of 0 expires every reference).
  const char* check(mtp::ByteSpan ref, std::int64_t document_id, std::int64_t now_s, std::int64_t lifetime_s) const;

 private:
  mtp::Bytes tag(std::int64_t document_id, std::int64_t issued_s) const;
  mtp::Bytes key_;
};

// Which connections of an account called upload.getFile within the last second.
class DownloadTracker {
 public:
  // Records a getFile by `connection_id` at now_ms unless the account already downloads over
  // `limit` other connections in the last second; then returns the seconds to wait (>= 1) and
  // records nothing. limit <= 0 means unlimited.
  std::optional<int> admit(std::int64_t user_id, std::uint64_t connection_id, std::int64_t now_ms, int limit);

 private:
  std::mutex mu_;
  std::map<std::int64_t, std::map<std::uint64_t, std::int64_t>> last_call_;  // user -> conn -> ms
};

// premium_rate_limit: the upload.getFile bytes each account was sent within the sliding window.
class DownloadRate {
 public:
  // Seconds to wait (`wait_s`) when `bytes` more at now_ms would take the account past
  // bytes_per_second over the last window_ms; nullopt when they fit. A request always fits an
  // empty window, so a part larger than the window's allowance is slow, never impossible; an
  // empty answer (past the end of the file) always fits.
  // Records nothing: record() does once the answer is known. bytes_per_second <= 0: unlimited.
  std::optional<int> refuse(std::int64_t user_id, std::int64_t bytes, std::int64_t now_ms,
                            std::int64_t bytes_per_second, int window_ms, int wait_s);
  void record(std::int64_t user_id, std::int64_t bytes, std::int64_t now_ms);

 private:
  struct Sent {
    std::int64_t at_ms;
    std::int64_t bytes;
  };
  struct Window {
    std::deque<Sent> sent;
    std::int64_t total = 0;
  };
  std::mutex mu_;
  std::map<std::int64_t, Window> windows_;
};

// corrupt_times: how many answers of each document a corruption fault has spoilt so far.
class CorruptionCount {
 public:
  enum class Kind { kBytes, kHashes };
  // True (and counted) while fewer than `times` answers of this kind for this document were
  // spoilt; times <= 0 means every time.
  bool take(Kind kind, std::int64_t document_id, int times);

 private:
  std::mutex mu_;
  std::map<std::pair<Kind, std::int64_t>, int> spoilt_;
};

}  // namespace testdc
