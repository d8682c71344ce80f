#pragma once
// What every file on one DC shares: the download sessions (lanes of the client on that DC), the
// in-flight byte budget, the stall bound learnt from their answers, and the limits on files at once
// (Telegram's small/large queue sizes: files below 20 MB and above). FLOOD_WAIT is kept in one
// FloodGate for all DCs (it is per DC and method already). Lives on the engine's executor.
#include <asio/any_io_executor.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <vector>

#include "core/async_semaphore.hpp"
#include "engine/inflight_budget.hpp"
#include "engine/latency_watch.hpp"
#include "engine/rate_pacer.hpp"
#include "engine/wakeup.hpp"

namespace tgget::engine {

struct PoolOptions {
  int sessions = 2;                   // download sessions per DC (Telegram's apps: 2, Premium 8)
  int requests_per_session = 4;       // keeps the pipe full at 60-200 ms round trips
  std::int64_t budget_initial = 4 << 20;
  std::int64_t budget_max = 32 << 20;
  int small_files_at_once = 5;        // small_queue_max_active_operations_count
  int large_files_at_once = 2;        // large_queue_max_active_operations_count
  std::uint64_t small_file_limit = 20'000'000;  // "smaller than 20 MB"
  std::int64_t rate_limit = 0;        // --limit-rate, bytes per second per DC (0: none)
};

class DcPool {
 public:
  DcPool(asio::any_io_executor executor, int dc, const PoolOptions& options)
      : dc(dc),
        options(options),
        budget(1 << 20, std::max<std::int64_t>(options.budget_initial, 1 << 20), std::max(options.budget_max, options.budget_initial)),
        wakeup(std::move(executor)),
        small_files(std::max(1, options.small_files_at_once)),
        large_files(std::max(1, options.large_files_at_once)),
        lane_load_(std::max(1, options.sessions), 0),
        lane_connection_(lane_load_.size(), 0),
        usable_(std::max(1, options.sessions)) {
    pacer.set_ceiling(static_cast<double>(options.rate_limit));
  }

  const int dc;
  const PoolOptions options;
  InFlightBudget budget;
  LatencyWatch watch;
  RatePacer pacer;
  Wakeup wakeup;  // a request ended, a wait ended: every file's workers on this DC look again
  mtp::AsyncSemaphore small_files, large_files;

  int sessions() const { return static_cast<int>(lane_load_.size()); }
  // Sessions in use: all of them until Telegram refuses one for the account's concurrency
  // (FLOOD_PREMIUM_WAIT on session k: the first k are what the account may use at once).
  int usable_sessions() const { return usable_; }
  // FLOOD_PREMIUM_WAIT on `lane`. True when the account's concurrency explains it (fewer sessions
  // from now on); false when it is the account's speed (the caller paces the requests). A refusal
  // on an extra session alone is concurrency; one on the first session is speed, and so is a
  // refusal of the first session within a second of one of an extra session (a rate limit refuses
  // whichever request comes past the allowance): then the sessions taken away come back.
  bool premium_refused(int lane, std::chrono::steady_clock::time_point now) {
    constexpr auto kTogether = std::chrono::seconds(1);
    if (lane < 1) {
      if (now - last_extra_refusal_ < kTogether) usable_ = std::max(1, options.sessions);
      last_first_refusal_ = now;
      return false;
    }
    if (now - last_first_refusal_ < kTogether) return false;
    last_extra_refusal_ = now;
    if (lane < usable_) usable_ = lane;
    return true;
  }
  // The session used for upload.getFileHashes: its own, so hashes never queue behind data.
  int hash_lane() const { return sessions(); }
  // The least loaded download session, other than `avoid` when there is a choice.
  int pick_lane(int avoid = -1) const {
    int best = -1;
    for (int i = 0; i < usable_; ++i) {
      if (i == avoid && usable_ > 1) continue;
      if (best < 0 || lane_load_[i] < lane_load_[best]) best = i;
    }
    return best;
  }
  void lane_started(int lane) { ++lane_load_[lane]; }
  void lane_finished(int lane) { --lane_load_[lane]; }
  // A clean answer on `lane` to a request sent on its `connection`-th connection.
  void lane_answered(int lane, int connection) { lane_connection_[lane] = connection; }
  // The lane answered before, and its connection has been replaced since (it broke, or the
  // watchdog dropped it): a FLOOD_PREMIUM_WAIT now is the account's concurrency counting the
  // connection just left behind (the server still sees it downloading), not the account's speed
  // nor one session too many. Waiting is the whole answer; there is nothing to learn from it.
  bool reconnected_since_answer(int lane, int connection) const {
    return lane_connection_[lane] > 0 && connection != lane_connection_[lane];
  }

 private:
  std::vector<int> lane_load_;
  std::vector<int> lane_connection_;  // each lane's connections opened at its last clean answer
  int usable_;
  std::chrono::steady_clock::time_point last_first_refusal_{}, last_extra_refusal_{};
};

}  // namespace tgget::engine
