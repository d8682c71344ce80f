#pragma once
// A speed limit learnt from Telegram: when a free account draws FLOOD_PREMIUM_WAIT for pulling
// too fast, the DC's requests are paced a little under the rate that drew it, so the penalty is
// not drawn again in a loop. That rate is what the server had counted when it refused: the bytes
// requested in the second up to the refused requests, less the refused ones (a rate limit charges
// requests as they arrive; refused ones are not charged). Refusals that arrive together are one penalty;
// a penalty drawn again while paced means the estimate was high, and the limit drops by a fixed
// factor besides. The limit rises slowly (2% per half minute without a penalty) in case the
// allowance grows. Until the first penalty nothing is paced. Pure bookkeeping: time is passed in.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

namespace tgget::engine {

class RatePacer {
 public:
  using Clock = std::chrono::steady_clock;

  void sent(std::int64_t bytes, Clock::time_point now);
  void answered(Clock::time_point now);
  // FLOOD_PREMIUM_WAIT for a request of `bytes` sent at `sent_at`.
  void penalty(Clock::time_point now, Clock::time_point sent_at, std::int64_t bytes);
  // When a request of `bytes` may go (now or earlier: at once).
  Clock::time_point ready_at(std::int64_t bytes, Clock::time_point now);

  // The learnt limit, under the user's ceiling (--limit-rate) when there is one.
  std::optional<double> limit_bytes_per_s() const;
  // --limit-rate: never faster than this, penalty or not; 0 removes it.
  void set_ceiling(double bytes_per_s);

 private:
  double requested_until(Clock::time_point until, std::int64_t refused) const;
  void refill(Clock::time_point now);

  std::deque<std::pair<Clock::time_point, std::int64_t>> sent_;  // requests of the last 2 s
  std::optional<double> limit_;    // learnt from penalties
  std::optional<double> ceiling_;  // asked for by the user
  struct Group {                    // the refusals of the latest penalty
    std::optional<double> base;     // the limit before it (lowered for a repeat)
    Clock::time_point latest;       // the last refused request's send time
    std::int64_t refused = 0;       // bytes refused
  };
  std::optional<Group> group_;
  double tokens_ = 0;
  Clock::time_point filled_{}, last_penalty_{}, last_raise_{};
};

}  // namespace tgget::engine
