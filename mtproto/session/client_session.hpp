#pragma once
// The client side of one MTProto session, sans-io: bytes in, bytes out, no sockets, no timers.
// A Session (session.hpp) drives it over a PacketStream; tests drive it with packets built by a
// MessageCipher in the server role.
//
//   enqueue(request)   -> RequestId; the request waits in the queue
//   next_packet(now)   -> the next encrypted packet to send (acks piggybacked, container packing)
//   on_packet(bytes)   -> decrypts in place, checks, handles service messages, returns the answers
//   on_connection_lost -> same session on a new connection: unanswered requests are resent
//
// Any error from on_packet is connection-fatal (failed msg_key, wrong session, bad msg_id parity,
// nested container, malformed service message): the caller must drop the connection and never use
// the bytes. Messages whose msg_id repeats one already received, or lies over 300 s in the past or
// 30 s in the future of the server's time, are ignored (MTProto security guidelines). Answers are views into the packet buffer (or into inflated storage the session keeps)
// valid until the next on_packet call, so a 1 MiB upload.file is never copied by the session.
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <set>
#include <vector>

#include "core/result.hpp"
#include "crypto/message_cipher.hpp"
#include "session/ack_queue.hpp"
#include "session/message_id.hpp"
#include "session/outgoing_batch.hpp"
#include "session/pending_requests.hpp"
#include "session/salt_store.hpp"
#include "session/seq_no.hpp"
#include "tl/gzip.hpp"
#include "tl/object.hpp"
#include "transport/frame.hpp"

namespace mtp::session {

struct SessionOptions {
  std::int64_t initial_salt = 0;
  std::chrono::nanoseconds server_time_offset{0};   // AuthKeyResult::server_time_offset
  // The offset was learnt from a handshake just now, so server msg_ids outside the time window are
  // ignored from the first packet on. Otherwise (an offset stored by an earlier run may be stale)
  // the window applies once the server has confirmed our clock: new_session_created, which every
  // session starts with, or bad_msg_notification 16/17.
  bool server_time_known = false;
  WallClock clock = system_wall_clock();           // for msg_ids
  crypto::MessageCipher::RandomFill random;        // session_id and padding; empty = CSPRNG
  std::optional<std::int64_t> session_id;          // fixed id (tests); random otherwise
  AckQueue::Policy acks;
  BatchLimits batch;
  std::size_t max_inflated = tl::kDefaultInflateCap;
  bool request_future_salts = true;  // piggyback get_future_salts when few salts are known
  int max_sends = 5;                 // a request bounced more often than this fails (RESEND_LIMIT)
  // Wraps the first request sent on every connection, e.g. in invokeWithLayer(initConnection(...))
  // (FACTS §6); the answer is the inner request's, so nothing is unwrapped. Empty = no wrapping.
  std::function<Bytes(ByteSpan request)> wrap_first_request;
};

struct Answer {
  RequestId request = 0;
  Result<ByteSpan> body;  // the boxed answer object, or the error (rpc_error, bad_msg, ...)
};

struct Incoming {
  std::vector<Answer> answers;
  std::vector<ByteSpan> updates;  // content messages that answer nothing (updates...), boxed
  bool new_session = false;       // the server created a new session (updates may have been lost)
};

class ClientSession {
 public:
  using SteadyTime = std::chrono::steady_clock::time_point;

  ClientSession(crypto::AuthKeySpan auth_key, SessionOptions options = {});

  std::int64_t session_id() const { return session_id_; }

  RequestId enqueue(Bytes request);
  template <class Request>
  RequestId enqueue_request(const Request& request) {
    return enqueue(tl::serialize(request));
  }
  // Keepalive: ping_delay_disconnect (the server closes the connection if no ping follows within
  // `disconnect_delay` seconds). The pong is consumed by the session; pings are not resent.
  void enqueue_ping(std::int64_t ping_id, std::int32_t disconnect_delay = 75);
  // Forgets a request (its answer, if one still comes, is acked and ignored).
  void cancel(RequestId id) { (void)pending_.remove(id); }

  // True when next_packet(now) would produce a packet.
  bool wants_to_send(SteadyTime now) const;
  // When queued acks become due by themselves (for the driver's timer), if any are queued.
  std::optional<SteadyTime> ack_deadline() const;
  // The next packet: queued requests, resend requests and acks (acks alone only when due).
  // nullopt when there is nothing to send. Call repeatedly until nullopt.
  Result<std::optional<transport::Frame>> next_packet(SteadyTime now);

  // Processes one received transport payload; see the header comment for errors.
  Result<Incoming> on_packet(MutableByteSpan payload, SteadyTime now);

  // The connection died; this session continues on a new one: everything sent, unanswered and not
  // acknowledged by the server is queued again (with new msg_ids when sent). Acknowledged requests
  // wait for the answer the server sends again on the new connection (or a new_session_created
  // that says it lost them, or the driver's request timeout).
  void on_connection_lost();

  std::size_t pending_count() const { return pending_.size(); }
  const PendingRequests& pending() const { return pending_; }
  MessageIdGenerator& message_ids() { return ids_; }
  SaltStore& salts() { return salts_; }
  const AckQueue& acks() const { return acks_; }
  std::int32_t seq_no_correction() const { return seq_bias_; }

 private:
  Status handle_message(std::int64_t msg_id, std::int32_t seq_no, ByteSpan body, bool in_container,
                        SteadyTime now, Incoming& out);
  enum class MsgIdVerdict { kFresh, kDuplicate, kOutOfWindow };
  Result<MsgIdVerdict> check_server_msg_id(std::int64_t msg_id, std::uint32_t constructor);
  bool outside_time_window(std::int64_t msg_id) const;
  Status handle_bad_msg(std::int64_t notification_msg_id, std::int64_t bad_msg_id, std::int32_t code, Incoming& out);
  void deliver(std::int64_t req_msg_id, Result<ByteSpan> body, Incoming& out);
  void resend(std::int64_t msg_id, Incoming& out);
  void fail(RequestId id, Error error, Incoming& out);
  void forget_init(RequestId id, bool succeeded);
  std::int32_t next_seq_no(bool content_related);

  crypto::MessageCipher cipher_;
  SessionOptions options_;
  std::int64_t session_id_ = 0;
  MessageIdGenerator ids_;
  SeqNoCounter seq_;
  std::int32_t seq_bias_ = 0;  // content messages added to seq_no after bad_msg 32/33
  SaltStore salts_;
  AckQueue acks_;
  std::int64_t reconnect_ping_id_ = std::int64_t{1} << 62;  // apart from the driver's keepalive ids
  PendingRequests pending_;
  std::vector<std::int64_t> resend_asks_;  // answer msg_ids to ask again (msg_resend_req)
  std::set<std::int64_t> seen_;             // recent server msg_ids, for duplicate detection
  std::deque<Bytes> inflated_;              // storage behind answer views until the next packet
  bool init_pending_ = true;                // the next request sent gets wrap_first_request
  RequestId init_request_ = 0;              // the request that carried it, until answered
  std::int64_t next_salts_ask_ = 0;         // server time before which get_future_salts is not repeated
  bool time_known_ = false;                 // server msg_ids are checked against the time window
};

}  // namespace mtp::session
