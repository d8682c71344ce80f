#pragma once
// The bytes one DC may have in flight for downloads, shared by every file on it: a congestion
// window, not a thread count. Answers that come back clean grow it (doubling per window until the
// first penalty, then one part per window, like TCP), FLOOD_PREMIUM_WAIT or a timeout halves it;
// after a penalty it grows back only slowly, so the same penalty is not drawn again in a loop.
// Pure bookkeeping: the scheduler asks before sending and reports every outcome.
#include <cstdint>

namespace tgget::engine {

class InFlightBudget {
 public:
  // Bytes: the window starts at `initial` and stays within [min, max] (min ≥ one part).
  InFlightBudget(std::int64_t min, std::int64_t initial, std::int64_t max);

  // True when a request of `bytes` fits; one request may always go when nothing is in flight.
  bool can_send(std::int64_t bytes) const { return in_flight_ == 0 || in_flight_ + bytes <= window_; }
  void sent(std::int64_t bytes) { in_flight_ += bytes; }
  // The request of `bytes` is over: answered (clean = no penalty) or failed (not a penalty).
  void answered(std::int64_t bytes);
  void failed(std::int64_t bytes);
  // FLOOD_PREMIUM_WAIT or a timeout: the window halves (not below min), growth turns additive.
  // Penalties closer together than one window's worth of answers count once.
  void penalty();

  std::int64_t window() const { return window_; }
  std::int64_t in_flight() const { return in_flight_; }
  int penalties() const { return penalties_; }

 private:
  std::int64_t min_, window_, max_;
  std::int64_t in_flight_ = 0;
  bool slow_start_ = true;
  std::int64_t clean_since_penalty_ = 0;  // bytes answered cleanly since the last penalty
  int penalties_ = 0;
};

}  // namespace tgget::engine
