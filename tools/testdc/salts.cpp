#include "salts.hpp"

#include <algorithm>

namespace testdc {

namespace {
// splitmix64: a cheap, well-mixed function of the inputs; salts need to be unguessable only in the
// sense that a client cannot invent one by accident.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}
}  // namespace

void SaltBook::add_initial(std::uint64_t key_id, std::int64_t salt, std::int64_t now_s) {
  initial_[key_id] = Initial{salt, now_s + 2 * kPeriod};
}

std::int64_t SaltBook::for_period(std::uint64_t key_id, std::int64_t period) const {
  return static_cast<std::int64_t>(mix(mix(key_id ^ secret_) + static_cast<std::uint64_t>(period)));
}

std::int64_t SaltBook::current(std::uint64_t key_id, std::int64_t now_s) const {
  auto it = initial_.find(key_id);
  // While the handshake salt is in its first period, keep handing it out: no needless
  // bad_server_salt round trip for a fresh key.
  if (it != initial_.end() && now_s + kPeriod < it->second.until_s) return it->second.salt;
  return for_period(key_id, now_s / kPeriod);
}

bool SaltBook::valid(std::uint64_t key_id, std::int64_t salt, std::int64_t now_s) const {
  auto it = initial_.find(key_id);
  if (it != initial_.end() && it->second.salt == salt && now_s < it->second.until_s) return true;
  const std::int64_t period = now_s / kPeriod;
  return salt == for_period(key_id, period) || salt == for_period(key_id, period - 1);
}

std::vector<SaltBook::Future> SaltBook::future(std::uint64_t key_id, std::int64_t now_s, int count) const {
  count = std::clamp(count, 1, 64);
  std::vector<Future> out;
  const std::int64_t period = now_s / kPeriod;
  for (int i = 0; i < count; ++i) {
    const std::int64_t p = period + i;
    // Valid from the start of its period until the end of the next one (the grace period).
    out.push_back(Future{static_cast<std::int32_t>(p * kPeriod), static_cast<std::int32_t>((p + 2) * kPeriod),
                         for_period(key_id, p)});
  }
  return out;
}

}  // namespace testdc
