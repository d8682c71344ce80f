// The learnt speed limit, replayed against a model of the test DC's rate limit: a sliding window
// of 1 s admitting 3 MiB, charged when a request arrives, refused requests not charged.
#include <catch2/catch.hpp>

#include <deque>

#include "engine/rate_pacer.hpp"

using tgget::engine::RatePacer;
using Clock = RatePacer::Clock;
using namespace std::chrono_literals;

namespace {

constexpr std::int64_t kPart = 1 << 20;

struct WindowLimit {
  std::int64_t allowance;
  Clock::duration window;
  std::deque<std::pair<Clock::time_point, std::int64_t>> charged;

  bool admit(Clock::time_point now, std::int64_t bytes) {
    while (!charged.empty() && now - charged.front().first >= window) charged.pop_front();
    std::int64_t used = 0;
    for (const auto& c : charged) used += c.second;
    if (used + bytes > allowance) return false;
    charged.emplace_back(now, bytes);
    return true;
  }
};

// A client that sends a part whenever the pacer lets it (at most `parallel` unanswered, each
// answered after `rtt`), for `duration`; returns the penalties drawn and the bytes admitted.
std::pair<int, std::int64_t> run(RatePacer& pacer, WindowLimit& server, int parallel, Clock::duration rtt,
                                 Clock::duration duration, Clock::time_point start = {}) {
  Clock::time_point now = start, closed_until = start;
  std::deque<Clock::time_point> out;  // answer times of requests in flight
  int penalties = 0;
  std::int64_t admitted = 0;
  while (now - start < duration) {
    while (!out.empty() && out.front() <= now) {
      out.pop_front();
      pacer.answered(now);
    }
    if (now >= closed_until && static_cast<int>(out.size()) < parallel && pacer.ready_at(kPart, now) <= now) {
      pacer.sent(kPart, now);
      if (server.admit(now, kPart)) {
        admitted += kPart;
        out.push_back(now + rtt);
      } else {
        ++penalties;
        pacer.penalty(now, now, kPart);
        closed_until = now + 3s;
      }
    }
    now += 1ms;
  }
  return {penalties, admitted};
}

}  // namespace

TEST_CASE("rate pacer: nothing is paced before the first penalty") {
  RatePacer pacer;
  const Clock::time_point t{};
  pacer.sent(kPart, t);
  CHECK(pacer.ready_at(kPart, t) == t);
  CHECK_FALSE(pacer.limit_bytes_per_s());
}

TEST_CASE("rate pacer: the limit is what the server had counted when it refused") {
  RatePacer pacer;
  const Clock::time_point t{};
  for (int k = 0; k < 3; ++k) pacer.sent(kPart, t + k * 10ms);
  pacer.sent(kPart, t + 300ms);  // refused
  pacer.sent(kPart, t + 310ms);  // refused too, in the same breath
  pacer.penalty(t + 360ms, t + 300ms, kPart);
  pacer.penalty(t + 370ms, t + 310ms, kPart);
  REQUIRE(pacer.limit_bytes_per_s());
  CHECK(*pacer.limit_bytes_per_s() == Approx(0.95 * 3 * kPart));
}

TEST_CASE("rate pacer: one penalty, then the sliding window is never exceeded again") {
  RatePacer pacer;
  WindowLimit server{3 * kPart, 1s, {}};
  const auto [penalties, admitted] = run(pacer, server, 4, 60ms, 60s);
  CHECK(penalties == 1);
  // At least 90% of the allowance over the minute, the 3 s wait included.
  CHECK(static_cast<double>(admitted) >= 0.9 * 3 * kPart * 57);
}

TEST_CASE("rate pacer: a longer server window is learnt by a few penalties, not a loop") {
  RatePacer pacer;
  WindowLimit server{6 * kPart, 2s, {}};  // the same average rate over 2 s
  const auto [early, early_bytes] = run(pacer, server, 4, 60ms, 60s);
  CHECK(early <= 6);
  const auto [late, late_bytes] = run(pacer, server, 4, 60ms, 60s, Clock::time_point{} + 60s);
  CHECK(late <= 1);
  CHECK(static_cast<double>(late_bytes) >= 0.85 * 3 * kPart * 57);
}
