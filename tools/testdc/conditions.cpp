#include "conditions.hpp"

namespace testdc {

std::optional<ConditionsRuntime::Refusal> ConditionsRuntime::admit_call(std::uint64_t auth_key_id,
                                                                          std::int64_t now_ns) {
  if (c_.flood_requests_per_second > 0) {
    auto it = flood_.try_emplace(auth_key_id, c_.flood_requests_per_second).first;
    if (!it->second.admit(now_ns)) return Refusal{420, "FLOOD_WAIT_" + std::to_string(c_.flood_wait_seconds)};
  }
  if (c_.rpc_error_500_rate > 0) {
    std::uniform_real_distribution<double> uniform(0.0, 1.0);
    if (uniform(rng_) < c_.rpc_error_500_rate) return Refusal{500, "INTERNAL"};
  }
  return std::nullopt;
}

std::int64_t ConditionsRuntime::reserve_account_bytes(std::uint64_t account, std::int64_t bytes, std::int64_t now_ns) {
  if (c_.bandwidth_per_account <= 0) return 0;
  auto it = account_buckets_.try_emplace(account, c_.bandwidth_per_account).first;
  return it->second.reserve(bytes, now_ns);
}

bool ConditionsRuntime::take_forced_bad_salt(std::uint64_t auth_key_id, std::int64_t session_id) {
  if (!c_.force_bad_salt) return false;
  return bad_salt_forced_.emplace(auth_key_id, session_id).second;
}

std::optional<int> ConditionsRuntime::take_stall() {
  if (c_.stall_after_bytes <= 0) return std::nullopt;
  if (c_.stall_connections > 0 && stalls_ >= c_.stall_connections) return std::nullopt;
  return ++stalls_;
}

std::int64_t ConditionsRuntime::response_delay_ns() {
  std::int64_t delay = std::int64_t{c_.latency_ms} * 1'000'000;
  if (c_.out_of_order) {
    std::uniform_int_distribution<std::int64_t> jitter(0, kOutOfOrderWindowNs);
    delay += jitter(rng_);
  }
  return delay;
}

}  // namespace testdc
