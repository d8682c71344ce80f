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

std::optional<double> RatePacer::limit_bytes_per_s() const {
  if (limit_ && ceiling_) return std::min(*limit_, *ceiling_);
  return limit_ ? limit_ : ceiling_;
}

void RatePacer::set_ceiling(double bytes_per_s) {
  if (bytes_per_s > 0) ceiling_ = bytes_per_s;
  else ceiling_.reset();
}

void RatePacer::sent(std::int64_t bytes, Clock::time_point now) {
  sent_.emplace_back(now, bytes);
  while (!sent_.empty() && now - sent_.front().first > kKeep) sent_.pop_front();
  if (!limit_bytes_per_s()) return;
  refill(now);
  tokens_ -= static_cast<double>(bytes);  // may go below zero: the next request waits longer
}

void RatePacer::answered(Clock::time_point now) {
  if (limit_ && now - std::max(last_penalty_, last_raise_) >= kRaiseEvery) {
    *limit_ *= kRaise;
    last_raise_ = now;
  }
}

// The bytes requested in the window up to `until`, without `refused` (the refused requests are
// not charged by the server).
double RatePacer::requested_until(Clock::time_point until, std::int64_t refused) const {
  std::int64_t bytes = 0;
  for (const auto& [t, b] : sent_) {
    if (t <= until && until - t < kMeasureWindow) bytes += b;
  }
  bytes -= refused;
  return static_cast<double>(std::max<std::int64_t>(bytes, 0)) /
         std::chrono::duration<double>(kMeasureWindow).count();
}

void RatePacer::penalty(Clock::time_point now, Clock::time_point sent_at, std::int64_t bytes) {
  const bool same_penalty = group_ && now - last_penalty_ < kOnePenalty;
  if (!same_penalty) {
    // A new penalty. Drawn again while paced: the limit was too high, whatever the estimate says.
    group_ = Group{limit_ ? std::optional<double>(*limit_ * kRepeatPenalty) : std::nullopt, sent_at, 0};
    last_penalty_ = now;
    tokens_ = 0;
    filled_ = now;
  }
  // The refusals of one penalty together: the server admitted what was requested up to the last
  // of them, less every refused request (requests cross on two connections, so any one refusal
  // alone may stand before or after the admitted ones).
  group_->latest = std::max(group_->latest, sent_at);
  group_->refused += bytes;
  const double rate = requested_until(group_->latest, group_->refused);
  std::optional<double> limit = group_->base;
  if (rate > 0) limit = limit ? std::min(*limit, kBelowPenalty * rate) : kBelowPenalty * rate;
  if (limit && *limit > 0) limit_ = limit;
}

void RatePacer::refill(Clock::time_point now) {
  const auto limit = limit_bytes_per_s();
  if (!limit) return;
  if (filled_ == Clock::time_point{}) filled_ = now;  // a ceiling from the start: nothing saved up yet
  const double add = *limit * std::chrono::duration<double>(now - filled_).count();
  // At most a quarter second's worth saved up: pacing, not bursts.
  tokens_ = std::min(tokens_ + add, *limit / 4);
  filled_ = now;
}

RatePacer::Clock::time_point RatePacer::ready_at(std::int64_t bytes, Clock::time_point now) {
  const auto limit = limit_bytes_per_s();
  if (!limit) return now;
  refill(now);
  const double missing = static_cast<double>(bytes) - tokens_;
  if (missing <= 0 || tokens_ >= *limit / 4) return now;
  return now + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(missing / *limit));
}

}  // namespace tgget::engine
