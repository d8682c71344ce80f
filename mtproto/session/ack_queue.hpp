#pragma once
// Acknowledgements owed to the server. Every content-related message (odd seqno) we receive must be
// acked; sending one msgs_ack per message would double the packet count, so ids are collected and
// flushed with the next outgoing packet, or on their own once enough have piled up or the oldest
// has waited long enough (the caller's timer asks due()).
#include <chrono>
#include <cstdint>
#include <vector>

namespace mtp::session {

class AckQueue {
 public:
  using Clock = std::chrono::steady_clock;
  static constexpr std::size_t kMaxIdsPerAck = 8192;  // protocol limit for msgs_ack
  struct Policy {
    std::size_t flush_count = 32;                        // send an ack alone past this many ids
    std::chrono::milliseconds max_delay{300};            // ... or once the oldest waited this long
  };

  AckQueue() = default;
  explicit AckQueue(Policy policy) : policy_(policy) {}

  void push(std::int64_t msg_id, Clock::time_point now);
  bool empty() const { return ids_.empty(); }
  std::size_t size() const { return ids_.size(); }
  // True when the acks should go out even if nothing else is being sent.
  bool due(Clock::time_point now) const;
  // When due() becomes true by time alone; meaningful only when !empty().
  Clock::time_point deadline() const { return oldest_ + policy_.max_delay; }
  // Up to kMaxIdsPerAck ids, oldest first; the rest stay queued.
  std::vector<std::int64_t> take();

 private:
  Policy policy_;
  std::vector<std::int64_t> ids_;
  Clock::time_point oldest_{};
};

}  // namespace mtp::session
