#pragma once
// The run-time side of World::conditions: the state behind each switch (token buckets, flood
// windows, the seeded RNG) and the decisions the core asks of it. Single-threaded (the server's
// io_context thread); time is passed in so the decisions are testable without sleeping.
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <string>
#include <utility>

#include "hostile.hpp"
#include "throttle.hpp"
#include "world.hpp"

namespace testdc {

class ConditionsRuntime {
 public:
  explicit ConditionsRuntime(const Conditions& c) : c_(c), rng_(c.seed), hostile_(c.hostile) {}

  const Conditions& config() const { return c_; }

  // FLOOD_WAIT_X / 500 INTERNAL decided before a call is handled; nullopt lets it through.
  struct Refusal {
    int code;
    std::string message;
  };
  std::optional<Refusal> admit_call(std::uint64_t auth_key_id, std::int64_t now_ns);

  // Nanoseconds to wait before `bytes` more may go out for this account (per-account cap), 0 when
  // uncapped. `account` is the user id, or the auth key id before login.
  std::int64_t reserve_account_bytes(std::uint64_t account, std::int64_t bytes, std::int64_t now_ns);

  // Extra delay of one response: the fixed latency plus, when answers go out of order, a random
  // part large enough to reorder answers to requests that arrived together.
  std::int64_t response_delay_ns();

  // force_bad_salt: true exactly once per (auth key, session), for its first content message.
  // Remembered apart from the session itself, which is dropped when its first message is refused.
  bool take_forced_bad_salt(std::uint64_t auth_key_id, std::int64_t session_id);

  // stall_after_bytes: a connection that has just sent that many bytes asks once whether it
  // stalls. Yes for the first stall_connections connections of the server run (every one when 0):
  // the stall's ordinal (1, 2, ...); nullopt lets the connection go on as if nothing happened.
  std::optional<int> take_stall();

  // Seconds the server's clock runs ahead of the host's.
  std::int64_t clock_offset_ns() const { return std::int64_t{c_.clock_offset_s} * 1'000'000'000; }

  // The --hostile switches' state (hostile.hpp).
  HostileServer& hostile() { return hostile_; }

  static constexpr std::int64_t kOutOfOrderWindowNs = 40'000'000;

 private:
  Conditions c_;
  std::mt19937_64 rng_;
  std::map<std::uint64_t, FloodWindow> flood_;
  std::map<std::uint64_t, TokenBucket> account_buckets_;
  std::set<std::pair<std::uint64_t, std::int64_t>> bad_salt_forced_;
  int stalls_ = 0;
  HostileServer hostile_;
};

}  // namespace testdc
