#pragma once
// Rate shaping for the test DC's "real-world conditions": a token bucket for bandwidth caps and a
// sliding one-second window for FLOOD_WAIT. Time is passed in (steady-clock nanoseconds) so the
// logic is tested without sleeping.
#include <cstdint>
#include <deque>

namespace testdc {

// Bandwidth cap: reserve(bytes, now) returns how long to wait before sending them so the average
// stays at `bytes_per_second`. A burst of up to one second's worth is allowed.
class TokenBucket {
 public:
  explicit TokenBucket(std::int64_t bytes_per_second) : rate_(bytes_per_second) {}
  // Nanoseconds to delay; 0 when unlimited or tokens are available.
  std::int64_t reserve(std::int64_t bytes, std::int64_t now_ns);
  bool unlimited() const { return rate_ <= 0; }

 private:
  std::int64_t rate_;
  double tokens_ = 0;
  std::int64_t last_ns_ = -1;
};

// FLOOD_WAIT: more than `limit` requests within one second → the caller answers FLOOD_WAIT_X.
class FloodWindow {
 public:
  explicit FloodWindow(int limit) : limit_(limit) {}
  // Records a request at now_ns; false when it exceeds the limit (and is then not counted).
  bool admit(std::int64_t now_ns);

 private:
  int limit_;
  std::deque<std::int64_t> recent_;
};

}  // namespace testdc
