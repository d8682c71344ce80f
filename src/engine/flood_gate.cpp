#include "flood_gate.hpp"

namespace tgget::engine {

void FloodGate::hold(int dc, const std::string& method, TimePoint now, std::chrono::seconds wait) {
  // A little past the promise: the server counts from when it refused, we from when we heard it.
  const TimePoint until = now + wait + std::chrono::milliseconds(50);
  auto [it, fresh] = closed_until_.emplace(std::pair(dc, method), until);
  if (!fresh && it->second < until) it->second = until;
}

FloodGate::TimePoint FloodGate::open_at(int dc, const std::string& method) const {
  auto it = closed_until_.find(std::pair(dc, method));
  return it == closed_until_.end() ? TimePoint{} : it->second;
}

}  // namespace tgget::engine
