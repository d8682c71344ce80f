#include "session/ack_queue.hpp"

#include <algorithm>

namespace mtp::session {

void AckQueue::push(std::int64_t msg_id, Clock::time_point now) {
  if (ids_.empty()) oldest_ = now;
  ids_.push_back(msg_id);
}

bool AckQueue::due(Clock::time_point now) const {
  if (ids_.empty()) return false;
  return ids_.size() >= policy_.flush_count || now >= deadline();
}

std::vector<std::int64_t> AckQueue::take() {
  const std::size_t n = std::min(ids_.size(), kMaxIdsPerAck);
  std::vector<std::int64_t> out(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(n));
  ids_.erase(ids_.begin(), ids_.begin() + static_cast<std::ptrdiff_t>(n));
  // The ids left over were queued later than the ones sent; their wait starts now-ish (conservative).
  return out;
}

}  // namespace mtp::session
