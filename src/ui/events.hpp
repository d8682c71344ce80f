#pragma once
// What a batch download tells its display. One engine serving many files emits these for all of
// them, so every event carries the file's id (unique within one run, chosen by the emitter); the
// renderers keep their own per-file state keyed by it. No I/O and no clock here: a renderer is
// handed the time with each event (ui/renderer.hpp), which keeps them testable.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace tgget::ui {

using FileId = std::uint64_t;
using Clock = std::chrono::steady_clock;
using TimePoint = Clock::time_point;

// A file begins (or continues: resumed_bytes are already on disk and count as done).
struct FileStarted {
  FileId id = 0;
  std::string name;  // as Telegram names it; renderers sanitise it before printing
  std::uint64_t size = 0;
  std::uint64_t resumed_bytes = 0;
};

// Bytes of the file on disk so far (absolute, not a delta: a lost event loses nothing).
struct FileProgress {
  FileId id = 0;
  std::uint64_t bytes_done = 0;
};

// Telegram asked us to wait (FLOOD_WAIT, FLOOD_PREMIUM_WAIT ...) before this file goes on.
struct FileWaiting {
  FileId id = 0;
  double seconds = 0;
  std::string reason;
};

// A part or request of the file is tried again (a reconnect, a stall, a hash mismatch ...).
struct FileRetry {
  FileId id = 0;
  std::string reason;
};

struct FileDone {
  FileId id = 0;
  std::string path;
  std::uint64_t size = 0;
  std::string sha256_hex;
  bool verified = false;  // every byte checked against Telegram's hashes
  std::uint64_t unverified_bytes = 0;
  // What it took: bytes already on disk from an earlier run, parts sent again (of which by the
  // stall watchdog), hash mismatches caught, file references renewed, seconds Telegram made us wait.
  std::uint64_t resumed_bytes = 0;
  int retries = 0, reissued = 0, hash_mismatches = 0, reference_refreshes = 0;
  double waited_s = 0;
};

// Nothing to fetch: already downloaded, no media, filtered out ...
struct FileSkipped {
  FileId id = 0;
  std::string name;
  std::string why;
};

struct FileFailed {
  FileId id = 0;
  std::string name;
  std::string code;     // a stable name scripts can branch on: FLOOD_WAIT, CHANNEL_INVALID, NETWORK ...
  std::string message;  // for people
  std::optional<double> retry_after;  // seconds, when trying again later would help
};

// The end of the run: what the summary line and the JSON summary say.
struct Summary {
  std::uint64_t files_done = 0;
  std::uint64_t files_failed = 0;
  std::uint64_t files_skipped = 0;
  std::uint64_t bytes = 0;
  double seconds = 0;
  std::uint64_t retries = 0;
  double waited_s = 0;
};

using Event = std::variant<FileStarted, FileProgress, FileWaiting, FileRetry, FileDone, FileSkipped, FileFailed, Summary>;

}  // namespace tgget::ui
