#pragma once
// A speed limit learnt from Telegram: when a free account draws FLOOD_PREMIUM_WAIT for pulling
// too fast, the DC's requests are paced a little under the rate that drew it, so the penalty is
// not drawn again in a loop. That rate is what the server had counted when it refused: the bytes
// requested in the second before the refused request was sent (a rate limit charges requests as
// they arrive; the refused ones are not charged). Refusals that arrive together are one penalty;
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

  std::optional<double> limit_bytes_per_s() const { return limit_; }

 private:
  double requested_before(Clock::time_point sent_at, std::int64_t own_bytes) const;
  void refill(Clock::time_point now);

  std::deque<std::pair<Clock::time_point, std::int64_t>> sent_;  // requests of the last 2 s
  std::optional<double> limit_;
  double tokens_ = 0;
  Clock::time_point filled_{}, last_penalty_{}, last_raise_{};
};

}  // namespace tgget::engine
