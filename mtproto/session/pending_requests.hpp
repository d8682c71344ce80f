#pragma once
// Requests sent (or about to be sent) and not answered yet. A request keeps one stable RequestId
// for its whole life while its msg_id changes every time it is resent (bad_server_salt, clock
// resync, seqno correction, reconnect), so callers never see the protocol's ids.
#include <cstdint>
#include <optional>
#include <set>
#include <unordered_map>
#include <vector>

#include "core/bytes.hpp"

namespace mtp::session {

using RequestId = std::uint64_t;

struct PendingRequest {
  enum class Kind { kUser, kFutureSalts, kPing };  // the last two are the session's own
  RequestId id = 0;
  Kind kind = Kind::kUser;
  Bytes body;                    // the serialized boxed request, kept for resends
  std::int64_t msg_id = 0;       // 0 while queued
  std::int64_t container_id = 0; // the msg_container it travelled in, 0 if alone
  // Earlier msg_ids of a resent request. An answer to one of them still completes the request (the
  // server may answer the copy sent before a reconnect on the new connection), so it runs once.
  std::vector<std::int64_t> old_msg_ids;
  int sends = 0;                 // how many times it has been put on the wire
  bool acked = false;            // the server confirmed receipt (msgs_ack)
};

class PendingRequests {
 public:
  RequestId add(Bytes body, PendingRequest::Kind kind = PendingRequest::Kind::kUser);

  PendingRequest* find(RequestId id);
  const PendingRequest* find(RequestId id) const;
  // By current or earlier msg_id.
  PendingRequest* by_msg_id(std::int64_t msg_id);
  // Requests whose current msg_id is `msg_id`, or which travelled in the container `msg_id`.
  std::vector<RequestId> sent_as(std::int64_t msg_id) const;
  // Sent requests with msg_id below `msg_id` (new_session_created's first_msg_id).
  std::vector<RequestId> sent_before(std::int64_t msg_id) const;

  void mark_sent(RequestId id, std::int64_t msg_id, std::int64_t container_id);
  // Puts a sent request back in the queue; it gets a new msg_id when sent again.
  void requeue(RequestId id);
  // Every sent request the server has not acknowledged (msgs_ack). An acknowledged one is the
  // server's: its answer comes on whichever connection the session continues on (MTProto: a
  // message the server acknowledged need not be sent again), so resending it would only make the
  // server run it twice and send a second answer over the same bandwidth.
  void requeue_unacknowledged();
  std::optional<PendingRequest> remove(RequestId id);

  // Queued requests, oldest first (resent requests keep their place by age).
  const std::set<RequestId>& queue() const { return queue_; }
  bool has_queued() const { return !queue_.empty(); }
  std::size_t size() const { return requests_.size(); }
  bool has_kind(PendingRequest::Kind kind) const;
  void remove_kind(PendingRequest::Kind kind);

 private:
  RequestId next_id_ = 1;
  std::unordered_map<RequestId, PendingRequest> requests_;
  std::unordered_map<std::int64_t, RequestId> by_msg_id_;
  std::set<RequestId> queue_;
};

}  // namespace mtp::session
