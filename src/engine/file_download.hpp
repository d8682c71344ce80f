#pragma once
// The download of one file's parts over the download sessions of its DC: the thin coroutine layer
// over the pure pieces (PartPlanner, InFlightBudget, FloodGate, LatencyWatch, ExpectedHashes) and
// the file sink. One part's path: receive buffer → (decrypted in place by the session) → window
// hashes → pwrite at its offset; no copy, nothing of the file in memory beyond what is in flight.
//
// What it absorbs: FLOOD_WAIT_X (upload.getFile closed on that DC for everyone for X s, nothing
// sent early), FLOOD_PREMIUM_WAIT_X (the same, and the in-flight budget halves), timeouts and
// stalls (the watchdog re-sends a request past its adaptive bound on another session and recycles
// the silent connection), FILE_REFERENCE_EXPIRED/INVALID (the message fetched again, once at a
// time, the reference swapped, only the failed parts re-sent; FILE_CHANGED when the message now
// carries another file), answers shorter or longer than the part and hash mismatches (the part
// fetched again, nothing of a wrong-sized answer written; repeated failures fail the file). The stack already follows
// FILE_MIGRATE, re-imports on AUTH_KEY_UNREGISTERED and repeats 5xx. Anything else fails the file.
//
// Durability: received parts are fdatasync'ed in batches (every sync_bytes or sync_interval) and
// only then handed to `save` (the planner's durable state), so a crash at any moment never leaves
// a part recorded that is not on disk. On every way out (done, failed, stopped) the parts already
// received are synced and saved once more, so an interrupted download loses nothing it wrote.
#include <asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "client/client.hpp"
#include "engine/dc_pool.hpp"
#include "engine/file_sink.hpp"
#include "engine/flood_gate.hpp"
#include "engine/part_planner.hpp"
#include "resolve/remote_file.hpp"

namespace tgget::engine {

struct DownloadOptions {
  bool verify = true;                 // upload.getFileHashes
  std::uint64_t sync_bytes = 16 << 20;
  std::chrono::milliseconds sync_interval{2000};
  std::chrono::seconds max_wait{3600};  // a flood wait longer than this fails the file (run again later)
  int max_part_failures = 5;          // short answers / hash mismatches of one part before giving up
  int max_reference_refreshes = 20;
};

struct DownloadReport {
  std::uint64_t bytes = 0;             // the file's size
  std::uint64_t unverified_bytes = 0;  // written without a hash from the server to check them with
  int retries = 0;                     // parts sent again (flood waits, timeouts, mismatches...)
  int reissued = 0;                    // of which re-sent by the watchdog
  int hash_mismatches = 0;
  int reference_refreshes = 0;
  double waited_s = 0;                 // time the method was closed by Telegram
  // The whole file's SHA-256, computed as its bytes arrived (parts out of order read back from the
  // page cache); set when the download completed.
  std::optional<mtp::Int256> sha256;
};

struct DownloadEvents {
  std::function<void(std::uint64_t bytes_done, std::uint64_t total)> progress;
  // Said once per kind: "Telegram limits this account's download speed; waiting 14 s".
  std::function<void(const std::string&)> notice;
  // The file's first `bytes` are on disk, checked (or accepted unverified), in order: what a
  // stream to stdout may send on. An error stops the download.
  std::function<mtp::Status(std::uint64_t bytes)> ordered;
};

// Where a file's requests go: its DC's shared sessions, budget and stall bound, and the flood
// gate of the whole engine.
struct DownloadContext {
  mtp::client::Client& client;
  DcPool& pool;
  FloodGate& gate;
};

// `save` receives the planner's state (durable parts only) after each sync. `file` is updated in
// place when its reference is renewed.
asio::awaitable<mtp::Result<DownloadReport>> download_parts(DownloadContext context, RemoteFile& file,
                                                            PartPlanner& planner, FileSink& sink,
                                                            std::function<mtp::Status(mtp::ByteSpan)> save,
                                                            DownloadOptions options, DownloadEvents events = {});

}  // namespace tgget::engine
