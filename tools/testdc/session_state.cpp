#include "session_state.hpp"

#include "crypto/random.hpp"

namespace testdc {

ServerSession::ServerSession(std::uint64_t auth_key_id, std::int64_t session_id,
                             mtp::session::WallClock server_clock, SessionLimits limits)
    : auth_key_id_(auth_key_id),
      session_id_(session_id),
      limits_(limits),
      clock_(server_clock),
      ids_(std::move(server_clock)) {
  mtp::crypto::random_bytes(
      mtp::MutableByteSpan(reinterpret_cast<std::uint8_t*>(&unique_id_), sizeof unique_id_));
}

int ServerSession::check_msg_id(std::int64_t msg_id, bool& duplicate) const {
  duplicate = false;
  if (msg_id % 4 != 0) return kMsgIdBadParity;
  const std::int64_t now_ns = clock_().count();
  // msg_id encodes seconds in the high 32 bits and the fraction in the low 32.
  const std::int64_t msg_s = msg_id >> 32;
  const std::int64_t now_s = now_ns / 1'000'000'000;
  if (msg_s < now_s - limits_.max_past_s) return kMsgIdTooLow;
  if (msg_s > now_s + limits_.max_future_s) return kMsgIdTooHigh;
  if (recent_.count(msg_id) != 0) {
    duplicate = true;
    return kMsgOk;
  }
  // Below everything still remembered while the window is full: we cannot tell it from a replay.
  if (recent_.size() >= limits_.msg_window && msg_id < recent_.begin()->first) return kMsgIdTooLow;
  return kMsgOk;
}

int ServerSession::check_seq_no(std::int64_t msg_id, std::int32_t seq_no, bool content_related) const {
  const bool odd = (seq_no & 1) != 0;
  if (content_related && !odd) return kSeqNoOddExpected;
  if (!content_related && odd) return kSeqNoEvenExpected;
  // seq_no never decreases as msg_id grows: compare with the closest neighbours we know.
  auto next = recent_.upper_bound(msg_id);
  if (next != recent_.begin()) {
    auto prev = std::prev(next);
    if (prev->second > seq_no) return kSeqNoTooLow;
    // Two content-related messages cannot share a seq_no.
    if (content_related && prev->second == seq_no) return kSeqNoTooLow;
  }
  if (next != recent_.end() && next->second < seq_no) return kSeqNoTooHigh;
  return kMsgOk;
}

void ServerSession::remember(std::int64_t msg_id, std::int32_t seq_no) {
  recent_[msg_id] = seq_no;
  while (recent_.size() > limits_.msg_window) recent_.erase(recent_.begin());
}

std::vector<std::int64_t> ServerSession::take_acks() {
  std::vector<std::int64_t> out;
  out.swap(pending_acks_);
  return out;
}

void ServerSession::on_client_acks(const std::vector<std::int64_t>& msg_ids) {
  for (std::int64_t id : msg_ids) {
    auto it = unacked_.find(id);
    if (it == unacked_.end()) continue;
    unacked_bytes_ -= it->second.size();
    unacked_.erase(it);
  }
}

std::int64_t ServerSession::next_msg_id(bool is_answer) {
  using Role = mtp::session::MessageIdGenerator::Role;
  return ids_.next(is_answer ? Role::server_response : Role::server_other);
}

void ServerSession::track_unacked(std::int64_t msg_id, OutMessage message) {
  unacked_bytes_ += message.size();
  unacked_.emplace(msg_id, std::move(message));
  // A client that never acknowledges must not make us hold its whole download in memory.
  while (unacked_bytes_ > limits_.max_unacked_bytes && unacked_.size() > 1) {
    unacked_bytes_ -= unacked_.begin()->second.size();
    unacked_.erase(unacked_.begin());
  }
}

void ServerSession::requeue_unacked() {
  for (auto it = unacked_.rbegin(); it != unacked_.rend(); ++it) outbox_.push_front(std::move(it->second));
  unacked_.clear();
  unacked_bytes_ = 0;
}

}  // namespace testdc
