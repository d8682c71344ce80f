#pragma once
// A speed limit learnt from Telegram: when a free account draws FLOOD_PREMIUM_WAIT for pulling
// too fast, the DC's requests are paced at a little under the rate that drew it (the answers of
// the last second plus the bytes still in flight, about what the server charged for the second
// before it refused), so the penalty is not drawn again in a loop; the limit rises
// slowly (2% per half minute without a penalty) in case the server's allowance grows. Until the
// first penalty nothing is paced. Pure bookkeeping: time is passed in.
#include <chrono>
#include <cstdint>
#include <deque>
#include <optional>
#include <utility>

namespace tgget::engine {

class RatePacer {
 public:
  using Clock = std::chrono::steady_clock;

  void answered(std::int64_t bytes, Clock::time_point now);
  // FLOOD_PREMIUM_WAIT with `in_flight` bytes requested and not answered. Penalties within a few
  // seconds of one another are one penalty.
  void penalty(Clock::time_point now, std::int64_t in_flight);
  // When a request of `bytes` may go (now or earlier: at once), and its reservation.
  Clock::time_point ready_at(std::int64_t bytes, Clock::time_point now);
  void sent(std::int64_t bytes, Clock::time_point now);

  std::optional<double> limit_bytes_per_s() const { return limit_; }

 private:
  double measured(Clock::time_point now);
  void refill(Clock::time_point now);

  std::deque<std::pair<Clock::time_point, std::int64_t>> recent_;  // answers of the last 2 s
  std::optional<double> limit_;
  double tokens_ = 0;
  Clock::time_point filled_{}, last_penalty_{}, last_raise_{};
};

}  // namespace tgget::engine
