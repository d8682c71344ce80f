#include "engine/file_download.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/this_coro.hpp>

#include <deque>
#include <iterator>
#include <map>
#include <set>

#include "engine/flood_gate.hpp"
#include "engine/inflight_budget.hpp"
#include "engine/latency_watch.hpp"
#include "engine/part_hashes.hpp"
#include "engine/wakeup.hpp"
#include "resolve/resolver.hpp"
#include "tl/api.hpp"

namespace tgget::engine {

namespace api = mtp::tl::api;
using mtp::crypto::Sha256Stream;
using mtp::Error;
using mtp::Status;
using Clock = std::chrono::steady_clock;
using namespace std::chrono_literals;

namespace {

const std::string kGetFile = "upload.getFile";
const std::string kGetFileHashes = "upload.getFileHashes";
constexpr std::uint64_t kCatchUpStep = 4 << 20;

bool is_reference_error(const Error& e) { return e.is("FILE_REFERENCE_EXPIRED") || e.is("FILE_REFERENCE_INVALID"); }

class FileDownload {
 public:
  FileDownload(asio::any_io_executor ex, DownloadContext context, RemoteFile& file, PartPlanner& planner,
               FileSink& sink, std::function<Status(mtp::ByteSpan)> save, DownloadOptions options,
               DownloadEvents events)
      : client_(context.client),
        pool_(context.pool),
        gate_(context.gate),
        file_(file),
        planner_(planner),
        sink_(sink),
        save_(std::move(save)),
        options_(options),
        events_(std::move(events)),
        wakeup_(pool_.wakeup),
        budget_(pool_.budget),
        watch_(pool_.watch),
        finished_(ex),
        executor_(std::move(ex)) {}

  asio::awaitable<mtp::Result<DownloadReport>> run() {
    report_.bytes = planner_.file_size();
    // As many workers as the DC's sessions keep requests in flight; the shared budget decides how
    // many of them (of all files on the DC) actually have one out.
    const int slots = pool_.sessions() * std::max(1, pool_.options.requests_per_session);
    for (int k = 0; k < slots; ++k) spawn(worker());
    spawn(flusher());
    spawn(watchdog());
    // Hash requests go out as many at a time as one session keeps requests in flight: one at a
    // time, each answer covering one part (8 windows), verification would cost a round trip per
    // MiB and cap a download at 1 MiB per round trip (10 MiB/s at 100 ms) however fast the parts came.
    if (options_.verify) {
      for (int k = 0; k < std::max(1, pool_.options.requests_per_session); ++k) spawn(hash_fetcher());
    }
    while (running_ > 0) co_await finished_.wait_until(Clock::now() + 1h);
    if (!failure_ && planner_.complete()) {
      if (Status s = catch_up_digest(planner_.file_size()); !s) failure_ = std::move(s).error();
      else if (file_digest_.length() == planner_.file_size()) report_.sha256 = file_digest_.digest();
      if (!failure_ && events_.ordered) {
        if (Status s = events_.ordered(file_digest_.length()); !s) failure_ = std::move(s).error();
      }
    }
    if (failure_) co_return *failure_;
    co_return report_;
  }

 private:
  struct InFlight {
    Part part;
    int lane = 0;
    Clock::time_point sent_at;
    bool reissued = false;
  };
  struct Awaiting {  // written, waiting for the server's hashes before it counts
    Part part;
    std::vector<WindowDigest> digests;
    std::optional<Sha256Stream> digest_after;  // the file's digest through this part, if it was next
  };

  bool done() const { return failure_.has_value() || planner_.complete(); }
  void fail(Error e) {
    if (!failure_) failure_ = std::move(e);
    wakeup_.notify();
  }

  void spawn(asio::awaitable<void> task) {
    ++running_;
    asio::co_spawn(executor_, std::move(task), [this](std::exception_ptr e) {
      if (e && !failure_) failure_ = Error::local(mtp::kErrInternal, "ENGINE_CRASH", "a download task threw");
      --running_;
      wakeup_.notify();
      finished_.notify();
    });
  }

  void notice_once(const std::string& kind, const std::string& text) {
    if (noticed_.insert(kind).second && events_.notice) events_.notice(text);
  }

  // The next part and the session for it: a watchdog re-send first (away from the session that
  // stalled), then the planner's lowest pending part on the least loaded session. nullopt when
  // nothing may be sent now.
  std::optional<std::pair<Part, int>> take_part() {
    if (!budget_.can_send(planner_.part_size())) return std::nullopt;
    if (!reissue_.empty()) {
      auto [part, stalled_lane] = reissue_.front();
      reissue_.pop_front();
      return std::pair(part, pool_.pick_lane(stalled_lane));
    }
    auto part = planner_.next();
    if (!part) return std::nullopt;
    return std::pair(*part, pool_.pick_lane());
  }

  asio::awaitable<void> worker() {
    while (!done()) {
      const auto open_at = gate_.open_at(file_.dc, kGetFile);
      if (open_at > Clock::now()) {
        co_await wakeup_.wait_until(open_at);
        continue;
      }
      // A learnt speed limit: the request waits for its share of it.
      const auto paced = pool_.pacer.ready_at(planner_.part_size(), Clock::now());
      if (paced > Clock::now()) {
        co_await wakeup_.wait_until(paced);
        continue;
      }
      auto next = take_part();
      if (!next) {
        co_await wakeup_.wait_until(Clock::now() + 1s);
        continue;
      }
      pool_.lane_started(next->second);
      co_await fetch(next->first, next->second);
      pool_.lane_finished(next->second);
    }
  }

  asio::awaitable<void> fetch(Part part, int lane) {
    api::upload_getFile request;
    request.location = file_.location();
    request.offset = static_cast<std::int64_t>(part.offset);
    request.limit = static_cast<std::int32_t>(planner_.part_size());
    const std::uint64_t ticket = next_ticket_++;
    in_flight_[ticket] = InFlight{part, lane, Clock::now()};
    if (options_.verify && !hashes_unavailable_) wakeup_.notify();  // the hash fetcher may ask ahead
    budget_.sent(request.limit);
    pool_.pacer.sent(request.limit, Clock::now());
    const int connection_at_send = client_.connections_opened(file_.dc, mtp::client::Purpose::kMedia, lane);

    std::optional<Error> bad;          // a problem with the answer's bytes
    std::vector<WindowDigest> digests;
    std::optional<Sha256Stream> digest_after;  // the file's digest with these bytes, when they are next
    bool wrote = false;
    Status status = co_await client_.get_file_part(file_.dc, request, lane, [&](const mtp::session::FilePartView& v) {
      // The end of the file comes from its size, never from a short answer; and an answer longer
      // than asked is not trimmed to fit: the server that sent it is not to be trusted with this
      // part at all (nothing of it is written, so nothing lands past the part or the file's end).
      if (v.bytes.size() != part.length) {
        bad = Error::local(mtp::kErrMalformed, v.bytes.size() < part.length ? "SHORT_PART" : "LONG_PART",
                           "part " + std::to_string(part.index) + ": " + std::to_string(v.bytes.size()) + " bytes, " +
                               std::to_string(part.length) + " expected");
        return;
      }
      if (!planner_.wanted(part.index)) return;  // another copy won; these bytes are redundant
      // The part the file's digest waits for: hashed into a copy of it in the same pass as its
      // windows, so these bytes are never read again (the copy is kept only if they count).
      if (file_digest_.length() == part.offset) digest_after = file_digest_;
      if (options_.verify) {
        digests = window_digests(part.offset, v.bytes, digest_after ? &*digest_after : nullptr);
        if (expected_.check(digests) == Verdict::kMismatch) {
          expected_.forget(digests);
          bad = Error::local(mtp::kErrSecurity, "HASH_MISMATCH", "part " + std::to_string(part.index));
          return;
        }
      } else if (digest_after) {
        digest_after->update(v.bytes);
      }
      if (Status w = sink_.write(part.offset, v.bytes); !w) {
        fail(std::move(w).error());
        return;
      }
      wrote = true;
    });
    const auto sent_at = in_flight_[ticket].sent_at;
    const bool was_reissued = in_flight_[ticket].reissued;
    in_flight_.erase(ticket);
    // A stalled request's bytes left the budget when the watchdog gave up on it.
    auto release = [&](bool clean) {
      if (was_reissued) return;
      if (clean) budget_.answered(request.limit);
      else budget_.failed(request.limit);
    };

    if (status && !bad && !failure_) {
      release(true);
      // The bound learns from normal answers only: one that outlived a stall would teach it to
      // wait as long as the stall did.
      if (!was_reissued) watch_.answered(Clock::now() - sent_at);
      // Only an answer to a request sent on this connection shows the server admits it: after a
      // reconnect, the answers the old one lost come first on the new one.
      if (connection_at_send == client_.connections_opened(file_.dc, mtp::client::Purpose::kMedia, lane)) {
        pool_.lane_answered(lane, connection_at_send);
      }
      pool_.pacer.answered(Clock::now());
      wakeup_.notify();  // budget freed: workers of every file on this DC may send
      if (!wrote) {  // stale copy
        (void)planner_.ok(part.index);
      } else if (!options_.verify || hashes_unavailable_) {
        accept(part, part.length, std::move(digest_after));  // nothing to check these bytes with
      } else if (expected_.check(digests) == Verdict::kMatch) {
        accept(part, 0, std::move(digest_after));
      } else {
        awaiting_.emplace(part.index, Awaiting{part, std::move(digests), std::move(digest_after)});
        wakeup_.notify();
      }
      co_return;
    }
    release(false);
    (void)planner_.failed(part.index);
    wakeup_.notify();
    if (failure_) co_return;
    if (bad) co_return part_failed(part, *bad);
    co_await on_error(part, lane, sent_at, std::move(status).error());
  }

  void accept(const Part& part, std::uint64_t unverified, std::optional<Sha256Stream> digest_after) {
    if (auto answer = planner_.ok(part.index); !answer) return fail(answer.error());
    expected_.forget_range(part.offset, part.length);
    if (digest_after && file_digest_.length() == part.offset) file_digest_ = std::move(*digest_after);
    if (Status s = catch_up_digest(kCatchUpStep); !s) return fail(std::move(s).error());
    if (events_.ordered) {
      if (Status s = events_.ordered(file_digest_.length()); !s) return fail(std::move(s).error());
    }
    report_.unverified_bytes += unverified;
    received_since_sync_ += part.length;
    if (events_.progress) events_.progress(planner_.bytes_done(), planner_.file_size());
    if (received_since_sync_ >= options_.sync_bytes || planner_.parts_missing() == 0) wakeup_.notify();
  }

  void part_failed(const Part& part, const Error& e) {
    ++report_.retries;
    if (e.is("HASH_MISMATCH")) ++report_.hash_mismatches;
    if (++part_failures_[part.index] > options_.max_part_failures) {
      Error final_error = e;
      const char* why = e.is("HASH_MISMATCH") ? "bytes that do not match" : "answers of the wrong size";
      final_error.detail = file_.describe() + ": " + e.detail + " failed " + std::to_string(options_.max_part_failures) +
                           " times; the server keeps sending " + why;
      fail(std::move(final_error));
    }
  }

  asio::awaitable<void> on_error(const Part& part, int lane, Clock::time_point sent_at, Error e) {
    const auto now = Clock::now();
    if (e.code == 420 && e.value && (e.is("FLOOD_WAIT") || e.is("FLOOD_PREMIUM_WAIT"))) {
      const auto wait = std::chrono::seconds(std::max<std::int64_t>(1, *e.value));
      if (wait > options_.max_wait) {
        e.detail = "Telegram asks us to wait " + std::to_string(wait.count()) + " s, longer than --max-wait";
        co_return fail(std::move(e));
      }
      ++report_.retries;
      const auto before = gate_.open_at(file_.dc, kGetFile);
      gate_.hold(file_.dc, kGetFile, now, wait);
      const auto after = gate_.open_at(file_.dc, kGetFile);
      report_.waited_s += std::chrono::duration<double>(after - std::max(before, now)).count();
      if (e.is("FLOOD_PREMIUM_WAIT")) {
        // A refusal on an extra session is the account's concurrency (use fewer, and a smaller
        // budget); on the first one, its speed: the pacer spaces the requests, and the budget stays,
        // or the pacer's rate could never be reached (one part in flight is one connection's speed).
        // Right after a reconnect, it is the connection left behind still counted (dc_pool.hpp):
        // learnt as a speed, each reset would lower the pace for good.
        const int connection = client_.connections_opened(file_.dc, mtp::client::Purpose::kMedia, lane);
        if (!pool_.reconnected_since_answer(lane, connection)) {
          if (pool_.premium_refused(lane, now)) budget_.penalty();
          else pool_.pacer.penalty(now, sent_at, planner_.part_size());
        }
        notice_once("premium", "Telegram limits this account's download speed; waiting " +
                                   std::to_string(wait.count()) + " s");
      } else {
        notice_once("flood", "Telegram asks us to wait " + std::to_string(wait.count()) + " s");
      }
      co_return;
    }
    if (e.code == mtp::kErrTimeout) {
      ++report_.retries;
      budget_.penalty();
      co_return;
    }
    if (is_reference_error(e)) {
      ++report_.retries;
      co_await refresh_reference();
      co_return;
    }
    (void)part;
    e.detail = file_.describe() + (e.detail.empty() ? "" : ": " + e.detail);
    fail(std::move(e));
  }

  // One refetch of the message at a time; the parts that failed meanwhile are pending again and
  // go out with the new reference once it is in.
  asio::awaitable<void> refresh_reference() {
    const std::uint64_t generation = reference_generation_;
    while (refreshing_) co_await wakeup_.wait_until(Clock::now() + 1s);
    if (generation != reference_generation_ || failure_) co_return;  // someone else renewed it
    if (report_.reference_refreshes >= options_.max_reference_refreshes) {
      co_return fail(Error::local(mtp::kErrInvalidArgument, "FILE_REFERENCE_LOOP",
                                  file_.describe() + ": the file reference keeps expiring"));
    }
    refreshing_ = true;
    auto fresh = co_await refetch(client_, file_);
    refreshing_ = false;
    ++report_.reference_refreshes;
    ++reference_generation_;
    if (!fresh) co_return fail(fresh.error());
    file_.file_reference = fresh->file_reference;
    wakeup_.notify();
  }

  // The file's digest over the parts received after the one it waited for: read back (from the
  // page cache, as a rule) in order, at most `budget` bytes per call so no call holds the loop long.
  Status catch_up_digest(std::uint64_t budget) {
    while (budget > 0 && file_digest_.length() < planner_.file_size()) {
      const auto index = static_cast<std::uint32_t>(file_digest_.length() / planner_.part_size());
      const auto state = planner_.state(index);
      if (!state || *state == PartState::kPending || *state == PartState::kInFlight) return {};
      const Part part = *planner_.part(index);
      if (catch_up_buffer_.size() < part.length) catch_up_buffer_.resize(planner_.part_size());
      const mtp::MutableByteSpan bytes(catch_up_buffer_.data(), part.length);
      MTP_TRY(sink_.read(part.offset, bytes));
      file_digest_.update(bytes);
      budget -= std::min<std::uint64_t>(budget, part.length);
    }
    return {};
  }

  // Syncs what was received, then records it: never the other way round.
  Status sync_received() {
    std::vector<Part> parts = planner_.take_received();
    received_since_sync_ = 0;
    if (parts.empty()) return {};
    MTP_TRY(sink_.sync());
    MTP_TRY(planner_.mark_durable(parts));
    return save_(planner_.serialize());
  }

  asio::awaitable<void> flusher() {
    auto last = Clock::now();
    for (;;) {
      const bool finished = done() || (running_ == 1 && failure_);
      if (finished || received_since_sync_ >= options_.sync_bytes || Clock::now() - last >= options_.sync_interval ||
          (planner_.parts_missing() == 0 && awaiting_.empty())) {
        if (Status s = sync_received(); !s) fail(std::move(s).error());
        last = Clock::now();
        if (planner_.complete() || failure_) {
          wakeup_.notify();
          co_return;
        }
      }
      co_await wakeup_.wait_until(last + options_.sync_interval);
    }
  }

  asio::awaitable<void> watchdog() {
    while (!done()) {
      co_await wakeup_.wait_until(Clock::now() + 250ms);
      const auto now = Clock::now();
      for (auto& [ticket, f] : in_flight_) {
        if (f.reissued || now - f.sent_at < watch_.bound()) continue;
        f.reissued = true;
        // Its bytes no longer count as in flight (a silent path must not fill the budget and starve
        // every file on the DC), and a stall is a congestion signal like a timeout.
        budget_.failed(planner_.part_size());
        budget_.penalty();
        auto again = planner_.reissue(f.part.index);
        if (!again || !*again) continue;
        ++report_.reissued;
        ++report_.retries;
        reissue_.emplace_back(**again, f.lane);
        // The silent path is recycled: its session reconnects and sends what it still owes.
        client_.drop_connection(file_.dc, mtp::client::Purpose::kMedia, f.lane);
        wakeup_.notify();
      }
    }
  }

  // Where the hashes are wanted next: the lowest part waiting for them, else the lowest part in
  // flight whose windows are not known yet, so the hashes are asked while its bytes are on their
  // way (a small file then costs one round trip, not two). Never further ahead than the parts out,
  // which bounds what is kept.
  // Windows another hash request is already asking for are skipped: [from, the end of its part).
  std::optional<std::uint64_t> next_hash_offset() const {
    std::optional<std::uint64_t> best;
    auto consider = [&](const Part& p) {
      const std::uint64_t at = expected_.first_unknown(p.offset);
      if (at < p.offset + p.length && !hashes_asked(at) && (!best || at < *best)) best = at;
    };
    for (const auto& [index, a] : awaiting_) consider(a.part);
    if (best) return best;
    for (const auto& [ticket, f] : in_flight_) {
      if (planner_.wanted(f.part.index)) consider(f.part);
    }
    return best;
  }

  bool hashes_asked(std::uint64_t at) const {
    auto it = hashes_asked_.upper_bound(at);
    return it != hashes_asked_.begin() && at < std::prev(it)->second;
  }

  // Hashes for the parts out or waiting, on a session of its own so data never waits on it. Several
  // of these run at once, each asking for another part's windows.
  asio::awaitable<void> hash_fetcher() {
    const int lane = pool_.hash_lane();
    int failures = 0;
    while (!done() && !hashes_unavailable_) {
      if (awaiting_.empty() && !next_hash_offset()) {
        co_await wakeup_.wait_until(Clock::now() + 1s);
        continue;
      }
      // Parts whose hashes are known by now count.
      for (auto it = awaiting_.begin(); it != awaiting_.end();) {
        const Verdict v = expected_.check(it->second.digests);
        if (v == Verdict::kUnknown) {
          ++it;
          continue;
        }
        const Part part = it->second.part;
        const std::vector<WindowDigest> it_digests = std::move(it->second.digests);
        std::optional<Sha256Stream> it_digest_after = std::move(it->second.digest_after);
        it = awaiting_.erase(it);
        if (v == Verdict::kMatch) {
          accept(part, 0, std::move(it_digest_after));
        } else {
          // Its bytes are on disk but wrong (or the hashes are): the part is fetched again and
          // overwrites them, and its hashes are asked again.
          expected_.forget(it_digests);
          (void)planner_.failed(part.index);  // its one request, held open for the hashes
          part_failed(part, Error::local(mtp::kErrSecurity, "HASH_MISMATCH", "part " + std::to_string(part.index)));
          wakeup_.notify();
        }
      }
      const auto wanted_at = next_hash_offset();
      if (!wanted_at) {  // what is left to ask is being asked by the other fetchers
        co_await wakeup_.wait_until(Clock::now() + 1s);
        continue;
      }
      const auto open_at = gate_.open_at(file_.dc, kGetFileHashes);
      if (open_at > Clock::now()) {
        co_await wakeup_.wait_until(open_at);
        continue;
      }
      api::upload_getFileHashes request;
      request.location = file_.location();
      request.offset = static_cast<std::int64_t>(*wanted_at);
      const std::uint64_t part_end = std::min(planner_.file_size(), (*wanted_at / planner_.part_size() + 1) * planner_.part_size());
      hashes_asked_[*wanted_at] = part_end;
      auto hashes = co_await client_.invoke_on(file_.dc, request, mtp::client::Purpose::kMedia, lane);
      hashes_asked_.erase(*wanted_at);
      wakeup_.notify();  // the other fetchers may ask for what this one held, or sweep what it brought
      if (hashes && !hashes->empty()) {
        for (const auto& h : *hashes) {
          const auto& fh = h.get<api::fileHash>();
          expected_.add(static_cast<std::uint64_t>(fh.offset), static_cast<std::uint32_t>(fh.limit), fh.hash);
        }
        // Hashes that do not cover what was asked count as no answer (never a loop asking again).
        if (expected_.first_unknown(*wanted_at) > *wanted_at) {
          failures = 0;
          continue;
        }
      }
      if (!hashes && hashes.error().code == 420 && hashes.error().value && *hashes.error().value <= 60) {
        gate_.hold(file_.dc, kGetFileHashes, Clock::now(), std::chrono::seconds(*hashes.error().value));
        continue;
      }
      if (!hashes && is_reference_error(hashes.error())) {
        co_await refresh_reference();
        continue;
      }
      if (++failures < 3 && !hashes) continue;
      // No hashes for this file (or the server limits the calls): the data still counts, and the
      // result says how much of it could not be checked.
      hashes_unavailable_ = true;
      notice_once("unverified", file_.describe() + ": Telegram gives no hashes for it; it is not verified");
      for (auto& [index, a] : awaiting_) accept(a.part, a.part.length, std::move(a.digest_after));
      awaiting_.clear();
      co_return;
    }
  }

  mtp::client::Client& client_;
  DcPool& pool_;
  FloodGate& gate_;
  RemoteFile& file_;
  PartPlanner& planner_;
  FileSink& sink_;
  std::function<Status(mtp::ByteSpan)> save_;
  DownloadOptions options_;
  DownloadEvents events_;
  Wakeup& wakeup_;
  InFlightBudget& budget_;
  LatencyWatch& watch_;
  Wakeup finished_;  // run() waits here for its tasks
  ExpectedHashes expected_;
  asio::any_io_executor executor_;

  std::map<std::uint64_t, InFlight> in_flight_;
  std::uint64_t next_ticket_ = 0;
  std::deque<std::pair<Part, int>> reissue_;  // part, the lane that stalled
  std::map<std::uint32_t, Awaiting> awaiting_;
  std::map<std::uint64_t, std::uint64_t> hashes_asked_;  // hash requests out: from → end of the part asked for
  std::map<std::uint32_t, int> part_failures_;
  std::set<std::string> noticed_;
  std::uint64_t received_since_sync_ = 0;
  Sha256Stream file_digest_;            // of the file's first file_digest_.length() bytes
  std::vector<std::uint8_t> catch_up_buffer_;  // one part, allocated on first use
  bool hashes_unavailable_ = false;
  bool refreshing_ = false;
  std::uint64_t reference_generation_ = 0;
  int running_ = 0;
  std::optional<Error> failure_;
  DownloadReport report_;
};

}  // namespace

asio::awaitable<mtp::Result<DownloadReport>> download_parts(DownloadContext context, RemoteFile& file,
                                                            PartPlanner& planner, FileSink& sink,
                                                            std::function<Status(mtp::ByteSpan)> save,
                                                            DownloadOptions options, DownloadEvents events) {
  auto ex = co_await asio::this_coro::executor;
  FileDownload download(ex, context, file, planner, sink, std::move(save), options, std::move(events));
  co_return co_await download.run();
}

}  // namespace tgget::engine
