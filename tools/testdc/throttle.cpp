#include "throttle.hpp"

#include <algorithm>

namespace testdc {

std::int64_t TokenBucket::reserve(std::int64_t bytes, std::int64_t now_ns) {
  if (rate_ <= 0) return 0;
  if (last_ns_ < 0) {
    last_ns_ = now_ns;
    tokens_ = 0;  // start empty: a measured cap must hold from the first byte
  }
  double refill = static_cast<double>(now_ns - last_ns_) * 1e-9 * static_cast<double>(rate_);
  tokens_ = std::min(tokens_ + refill, static_cast<double>(rate_));
  last_ns_ = now_ns;
  tokens_ -= static_cast<double>(bytes);
  if (tokens_ >= 0) return 0;
  return static_cast<std::int64_t>(-tokens_ / static_cast<double>(rate_) * 1e9);
}

bool FloodWindow::admit(std::int64_t now_ns) {
  if (limit_ <= 0) return true;
  constexpr std::int64_t kWindow = 1'000'000'000;
  while (!recent_.empty() && now_ns - recent_.front() >= kWindow) recent_.pop_front();
  if (static_cast<int>(recent_.size()) >= limit_) return false;
  recent_.push_back(now_ns);
  return true;
}

}  // namespace testdc
