#pragma once
// Server-side state of one MTProto session (auth key + session_id), without I/O: the msg_id and
// seq_no rules applied to what the client sends, the ids and seq_nos of what the server sends,
// acknowledgements both ways, and the answers the client has not acknowledged yet (sent again when
// the session comes back on another connection, as Telegram does).
//
// A session outlives connections: it is kept in the SessionRegistry and bound to whichever
// connection it was last seen on.
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <vector>

#include "core/bytes.hpp"
#include "session/message_id.hpp"
#include "session/seq_no.hpp"

namespace testdc {

class ClientConnection;

// One message the server sends: a small head plus an optional shared tail, so a 1 MiB upload.file
// answer is copied exactly once, into the frame it is encrypted in (and again only when resent).
struct OutMessage {
  mtp::Bytes head;                            // boxed object, or its first bytes
  std::shared_ptr<const mtp::Bytes> tail;     // the rest of the object (may be null)
  bool content_related = true;
  bool is_answer = false;                     // rpc_result and other replies: msg_id % 4 == 1
  // Hostile decoys (hostile.hpp) only: sent under this msg_id instead of the next one (0: the next
  // one), and never kept for a resend (a decoy is not something the client has to receive).
  std::int64_t forced_msg_id = 0;
  bool decoy = false;

  std::size_t size() const { return head.size() + (tail ? tail->size() : 0); }
};

// Why a client message is refused (the bad_msg_notification error codes), or 0.
enum BadMsg : int {
  kMsgOk = 0,
  kMsgIdTooLow = 16,
  kMsgIdTooHigh = 17,
  kMsgIdBadParity = 18,
  kContainerIdReused = 19,
  kSeqNoTooLow = 32,
  kSeqNoTooHigh = 33,
  kSeqNoEvenExpected = 34,
  kSeqNoOddExpected = 35,
  kBadSalt = 48,
  kBadContainer = 64,
};

struct SessionLimits {
  std::int64_t max_past_s = 300;   // msg_id older than this (server time): 16
  std::int64_t max_future_s = 30;  // msg_id further ahead: 17
  std::size_t msg_window = 2048;   // client msg_ids remembered for duplicate and seq_no checks
  std::size_t max_unacked_bytes = std::size_t{256} << 20;  // oldest unacked answers dropped past this
};

class ServerSession {
 public:
  ServerSession(std::uint64_t auth_key_id, std::int64_t session_id, mtp::session::WallClock server_clock,
                SessionLimits limits = {});

  std::uint64_t auth_key_id() const { return auth_key_id_; }
  std::int64_t session_id() const { return session_id_; }
  std::int64_t unique_id() const { return unique_id_; }

  // --- incoming -------------------------------------------------------------------------------
  // Checks one client message id (top level or inside a container) against server time, parity
  // and the window of recent ids. Sets `duplicate` when it was seen before (then it is ignored).
  int check_msg_id(std::int64_t msg_id, bool& duplicate) const;
  // seq_no parity (34/35) and order against neighbouring msg_ids (32/33).
  int check_seq_no(std::int64_t msg_id, std::int32_t seq_no, bool content_related) const;
  // Records an accepted message so later duplicates are ignored.
  void remember(std::int64_t msg_id, std::int32_t seq_no);
  bool seen(std::int64_t msg_id) const { return recent_.count(msg_id) != 0; }

  // Content-related client messages must be acknowledged; they wait here until the next packet.
  void add_ack(std::int64_t client_msg_id) { pending_acks_.push_back(client_msg_id); }
  bool has_pending_acks() const { return !pending_acks_.empty(); }
  std::vector<std::int64_t> take_acks();

  // The client acknowledged these server messages: forget them.
  void on_client_acks(const std::vector<std::int64_t>& msg_ids);

  // --- outgoing -------------------------------------------------------------------------------
  std::int64_t next_msg_id(bool is_answer);
  std::int32_t next_seq_no(bool content_related) { return seq_.next(content_related); }

  // Messages waiting to be sent on the bound connection.
  void queue(OutMessage message) { outbox_.push_back(std::move(message)); }
  bool has_output() const { return !outbox_.empty() || !pending_acks_.empty(); }
  bool has_messages() const { return !outbox_.empty(); }
  std::deque<OutMessage>& outbox() { return outbox_; }

  // After sending content-related message `msg_id`, keep it until the client acknowledges it.
  void track_unacked(std::int64_t msg_id, OutMessage message);
  std::size_t unacked_count() const { return unacked_.size(); }
  // The session moved to a new connection: everything unacknowledged goes out again (new msg_ids,
  // same content), ahead of what was still queued.
  void requeue_unacked();

  // The connection the session's answers go to (null when none is alive).
  std::weak_ptr<ClientConnection> bound;

 private:
  std::uint64_t auth_key_id_;
  std::int64_t session_id_;
  std::int64_t unique_id_;
  SessionLimits limits_;
  mtp::session::WallClock clock_;
  mtp::session::MessageIdGenerator ids_;
  mtp::session::SeqNoCounter seq_;

  std::map<std::int64_t, std::int32_t> recent_;  // client msg_id -> seq_no, bounded by msg_window
  std::vector<std::int64_t> pending_acks_;
  std::deque<OutMessage> outbox_;
  std::map<std::int64_t, OutMessage> unacked_;    // by server msg_id, oldest first
  std::size_t unacked_bytes_ = 0;
};

}  // namespace testdc
