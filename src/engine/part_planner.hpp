#pragma once
// The bookkeeping of one file's download, with no I/O, no clock and no threads (the role of
// TDLib's PartsManager): which parts exist, which one to request next, which answers count, and
// which parts are safely on disk. The scheduler drives it; the file sink and the job store do the
// I/O. Every misuse (an index out of range, an answer for a request never made) is an error value.
//
// A part moves   pending → in flight → received → syncing → durable
//   next()/reissue()   hand a part out (one more request outstanding for it)
//   ok(i)              one answer's bytes were pwrite-n: the first one makes the part received
//   failed(i)          one request gave no bytes: the part is pending again once no copy is out
//   take_received()    right before fdatasync: the received parts that this sync will cover
//   mark_durable(ps)   after that fdatasync succeeded: only these parts go into serialize()
// Every request handed out (by next() or reissue()) is answered exactly once, by ok() or failed().
//
// One answer's path through the scheduler:
//   if (planner.wanted(i)) { sink.write(part.offset, bytes); planner.ok(i); }  // kFresh
//   else                   { planner.ok(i); }  // kStale: another copy won, drop these bytes
// ok() comes after the write on purpose: a part is never "received" unless its bytes reached the
// file, so a failed pwrite (call failed(i)) can never end up marked durable.
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace tgget::engine {

// upload.getFile without `precise` wants the limit to be a power of two dividing 1 MiB and at
// least 4 KiB; parts at offsets i * part_size then never cross a 1 MiB boundary.
inline constexpr std::uint32_t kMinPartSize = 4 * 1024;
inline constexpr std::uint32_t kMaxPartSize = 1024 * 1024;
// A bound on memory for a size that comes from the network (a state byte per part):
// Telegram's largest file, 4000 MiB, is 4000 parts of 1 MiB; this allows 4 TiB at 1 MiB.
inline constexpr std::uint32_t kMaxPartCount = 1u << 22;
// A part may be re-sent by the watchdog; this bounds the copies of one part out at once.
inline constexpr std::uint32_t kMaxCopies = 255;

bool valid_part_size(std::uint32_t part_size);

// The part size for a new download: the largest power of two from 128 KiB to 1 MiB that still
// gives the file at least 8 parts (1 MiB from 8 MiB up, 512 KiB from 4 MiB, 256 KiB from 2 MiB,
// 128 KiB below). Why: 1 MiB is Telegram's maximum and what one upload.getFileHashes answer
// covers (8 windows of 128 KiB), so large files pay the fewest requests. A small file would be
// one or two big requests on one session; 8 parts let it spread over the download sessions and
// the in-flight byte budget (the request limit, not the file's bytes, is what a request costs).
// Never below 128 KiB: that is the hash window, so every part can be verified on its own.
std::uint32_t choose_part_size(std::uint64_t file_size);

struct Part {
  std::uint32_t index = 0;
  std::uint64_t offset = 0;   // index * part_size
  std::uint32_t length = 0;   // the bytes this part really has; only the last one is shorter
  friend bool operator==(const Part&, const Part&) = default;
};

enum class PartState : std::uint8_t { kPending, kInFlight, kReceived, kSyncing, kDurable };

// What ok() says about one answer.
enum class Answer { kFresh, kStale };

class PartPlanner {
 public:
  // Errors (kErrInvalidArgument, PLAN_PART_SIZE / PLAN_TOO_MANY_PARTS): a part size that is not a
  // power of two in [4 KiB, 1 MiB], a file needing more than kMaxPartCount parts.
  static mtp::Result<PartPlanner> create(std::uint64_t file_size, std::uint32_t part_size);
  // Rebuilds a plan from serialize(): its durable parts stay durable, every other part is
  // pending. Any error means "start over": PLAN_TRUNCATED, PLAN_MAGIC, PLAN_VERSION, PLAN_CRC,
  // PLAN_CORRUPT (a blob that does not describe a valid plan) and PLAN_MISMATCH (a plan of a file
  // with another size or part size than the caller expects).
  static mtp::Result<PartPlanner> restore(mtp::ByteSpan blob, std::uint64_t file_size,
                                          std::uint32_t part_size);

  // The lowest pending part, now in flight; nullopt when none is pending right now.
  std::optional<Part> next();
  // Watchdog: the part `index`, in flight, is requested once more while its first request is
  // still out. nullopt when a copy already arrived (nothing left to re-send). Errors: the index is
  // out of range, the part is not in flight (PLAN_NOT_IN_FLIGHT) or kMaxCopies are out.
  mtp::Result<std::optional<Part>> reissue(std::uint32_t index);
  // True while part `index` is in flight with no answer accepted yet: its bytes are wanted.
  bool wanted(std::uint32_t index) const;
  // One answer's bytes were written. kFresh: the first answer, the part is received. kStale:
  // another copy won already (the bytes were redundant). Error when no request is out for it.
  mtp::Result<Answer> ok(std::uint32_t index);
  // One request of part `index` failed. With no other copy out it is pending again, ahead of
  // every part never requested. Error when no request is out for it.
  mtp::Status failed(std::uint32_t index);

  // The parts received since the last call (ascending index); they are now "syncing".
  std::vector<Part> take_received();
  // After fdatasync: these parts, each taken by take_received(), are durable. All or nothing: an
  // error (a part not syncing) changes no part. An fdatasync that failed has no undo here: the
  // file's download stops, and its saved plan (durable parts only) is still true.
  mtp::Status mark_durable(std::span<const Part> parts);

  std::uint64_t file_size() const { return file_size_; }
  std::uint32_t part_size() const { return part_size_; }
  std::uint32_t part_count() const { return static_cast<std::uint32_t>(parts_.size()); }
  // The part `index` (< part_count()).
  Part part(std::uint32_t index) const;
  PartState state(std::uint32_t index) const { return parts_.at(index).state; }

  bool complete() const { return durable_parts_ == parts_.size(); }
  // Parts not received yet (pending or in flight): 0 means "one last sync and it is complete".
  std::uint32_t parts_missing() const { return part_count() - received_parts_ - durable_parts_; }
  std::uint32_t requests_in_flight() const { return requests_in_flight_; }
  // Bytes received or durable (on the file, maybe only in the page cache).
  std::uint64_t bytes_done() const { return bytes_received_ + bytes_durable_; }
  std::uint64_t bytes_durable() const { return bytes_durable_; }

  // The durable parts only, so a plan saved after mark_durable() never claims a byte not synced.
  mtp::Bytes serialize() const;

 private:
  struct Slot {
    PartState state = PartState::kPending;
    std::uint8_t copies = 0;   // requests out for this part
  };

  PartPlanner(std::uint64_t file_size, std::uint32_t part_size, std::uint32_t count);
  mtp::Status check_index(std::uint32_t index) const;
  mtp::Status check_answer(std::uint32_t index) const;

  std::uint64_t file_size_ = 0;
  std::uint32_t part_size_ = 0;
  std::vector<Slot> parts_;
  // Pending parts are the ones below fresh_ listed in requeued_ plus every pending part from
  // fresh_ on (parts are handed out in order, so a part put back is always below fresh_).
  std::vector<std::uint32_t> requeued_;   // a min-heap
  std::uint32_t fresh_ = 0;
  std::vector<std::uint32_t> received_;   // received since the last take_received()
  std::uint32_t received_parts_ = 0;      // received or syncing
  std::uint32_t durable_parts_ = 0;
  std::uint32_t requests_in_flight_ = 0;
  std::uint64_t bytes_received_ = 0;
  std::uint64_t bytes_durable_ = 0;
};

}  // namespace tgget::engine
