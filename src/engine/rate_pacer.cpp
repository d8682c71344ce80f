#include "engine/rate_pacer.hpp"

#include <algorithm>

namespace tgget::engine {

namespace {
constexpr auto kMeasureWindow = std::chrono::seconds(1);
constexpr auto kOnePenalty = std::chrono::seconds(1);
constexpr auto kRaiseEvery = std::chrono::seconds(30);
constexpr double kBelowPenalty = 0.95;
constexpr double kRaise = 1.02;
}  // namespace

double RatePacer::measured(Clock::time_point now) {
  while (!recent_.empty() && now - recent_.front().first > kMeasureWindow) recent_.pop_front();
  std::int64_t bytes = 0;
  for (const auto& [t, b] : recent_) bytes += b;
  return static_cast<double>(bytes) / std::chrono::duration<double>(kMeasureWindow).count();
}

void RatePacer::answered(std::int64_t bytes, Clock::time_point now) {
  recent_.emplace_back(now, bytes);
  (void)measured(now);
  if (limit_ && now - std::max(last_penalty_, last_raise_) >= kRaiseEvery) {
    *limit_ *= kRaise;
    last_raise_ = now;
  }
}

void RatePacer::penalty(Clock::time_point now, std::int64_t in_flight) {
  if (limit_ && now - last_penalty_ < kOnePenalty) return;
  // A rate limit refuses the request that would take the account past its allowance for the
  // window: what the server charged in the last second is about the allowance. That is what
  // arrived in the last second plus what is still on its way (accepted, being sent).
  const double rate = measured(now) + static_cast<double>(in_flight);
  if (rate <= 0) return;  // nothing measured: nothing to learn from
  limit_ = limit_ ? std::min(*limit_, kBelowPenalty * rate) : kBelowPenalty * rate;
  last_penalty_ = now;
  tokens_ = 0;
  filled_ = now;
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

void RatePacer::sent(std::int64_t bytes, Clock::time_point now) {
  if (!limit_) return;
  refill(now);
  tokens_ -= static_cast<double>(bytes);  // may go below zero: the next request waits longer
}

}  // namespace tgget::engine
