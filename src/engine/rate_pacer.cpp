#include "engine/rate_pacer.hpp"

#include <algorithm>

namespace tgget::engine {

namespace {
constexpr auto kMeasureWindow = std::chrono::seconds(1);
constexpr auto kKeep = std::chrono::seconds(2);
constexpr auto kOnePenalty = std::chrono::seconds(1);
constexpr auto kRaiseEvery = std::chrono::seconds(30);
constexpr double kBelowPenalty = 0.95;
constexpr double kRepeatPenalty = 0.85;
constexpr double kRaise = 1.02;
}  // namespace

void RatePacer::sent(std::int64_t bytes, Clock::time_point now) {
  sent_.emplace_back(now, bytes);
  while (!sent_.empty() && now - sent_.front().first > kKeep) sent_.pop_front();
  if (!limit_) return;
  refill(now);
  tokens_ -= static_cast<double>(bytes);  // may go below zero: the next request waits longer
}

void RatePacer::answered(Clock::time_point now) {
  if (limit_ && now - std::max(last_penalty_, last_raise_) >= kRaiseEvery) {
    *limit_ *= kRaise;
    last_raise_ = now;
  }
}

// The bytes requested in the window before `sent_at`, without the refused request itself.
double RatePacer::requested_before(Clock::time_point sent_at, std::int64_t own_bytes) const {
  std::int64_t bytes = 0;
  for (const auto& [t, b] : sent_) {
    if (t <= sent_at && sent_at - t < kMeasureWindow) bytes += b;
  }
  bytes -= own_bytes;
  return static_cast<double>(std::max<std::int64_t>(bytes, 0)) /
         std::chrono::duration<double>(kMeasureWindow).count();
}

void RatePacer::penalty(Clock::time_point now, Clock::time_point sent_at, std::int64_t bytes) {
  const double rate = requested_before(sent_at, bytes);
  const bool same_penalty = limit_ && now - last_penalty_ < kOnePenalty;
  double limit = limit_.value_or(0);
  if (limit_ && !same_penalty) limit *= kRepeatPenalty;  // paced and refused again: we were too high
  if (rate > 0) limit = limit_ ? std::min(limit, kBelowPenalty * rate) : kBelowPenalty * rate;
  if (limit <= 0) return;  // nothing measured: nothing to learn from
  limit_ = limit;
  if (!same_penalty) {
    last_penalty_ = now;
    tokens_ = 0;
    filled_ = now;
  }
}

void RatePacer::refill(Clock::time_point now) {
  if (!limit_) return;
  const double add = *limit_ * std::chrono::duration<double>(now - filled_).count();
  // At most a quarter second's worth saved up: pacing, not bursts.
  tokens_ = std::min(tokens_ + add, *limit_ / 4);
  filled_ = now;
}

RatePacer::Clock::time_point RatePacer::ready_at(std::int64_t bytes, Clock::time_point now) {
  if (!limit_) return now;
  refill(now);
  const double missing = static_cast<double>(bytes) - tokens_;
  if (missing <= 0 || tokens_ >= *limit_ / 4) return now;
  return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(missing / *limit_));
}

}  // namespace tgget::engine
