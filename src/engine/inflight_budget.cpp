#include "inflight_budget.hpp"

#include <algorithm>

namespace tgget::engine {

InFlightBudget::InFlightBudget(std::int64_t min, std::int64_t initial, std::int64_t max)
    : min_(std::max<std::int64_t>(min, 1)),
      window_(std::clamp(initial, min_, std::max(min_, max))),
      max_(std::max(min_, max)),
      clean_since_penalty_(max_) {}

void InFlightBudget::answered(std::int64_t bytes) {
  in_flight_ = std::max<std::int64_t>(0, in_flight_ - bytes);
  clean_since_penalty_ += bytes;
  if (slow_start_) {
    window_ = std::min(max_, window_ + bytes);
  } else {
    // One request's worth per window of answers: linear growth.
    window_ = std::min(max_, window_ + std::max<std::int64_t>(1, bytes * bytes / window_));
  }
}

void InFlightBudget::failed(std::int64_t bytes) { in_flight_ = std::max<std::int64_t>(0, in_flight_ - bytes); }

void InFlightBudget::penalty() {
  slow_start_ = false;
  // Answers already in flight when the first penalty came may bring more of the same: one cut per
  // window's worth of clean answers.
  if (clean_since_penalty_ < window_) return;
  clean_since_penalty_ = 0;
  ++penalties_;
  window_ = std::max(min_, window_ / 2);
}

}  // namespace tgget::engine
