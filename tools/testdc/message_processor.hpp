#pragma once
// What the server does with one decrypted client message, without I/O: the msg_id / salt / seq_no
// checks with their bad_msg_notification and bad_server_salt answers, new_session_created,
// containers, acks, and the service messages (ping, ping_delay_disconnect, get_future_salts,
// destroy_session, msgs_state_req, rpc_drop_answer). Replies are queued on the session; API calls
// are handed back to the caller, which runs them asynchronously.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "core/bytes.hpp"
#include "tl/object.hpp"
#include "salts.hpp"
#include "session_state.hpp"

namespace testdc {

struct RpcRequest {
  std::int64_t req_msg_id = 0;
  mtp::Bytes query;  // the request as sent (wrappers included), gzip_packed already inflated
};

// Something a client did that MTProto's rules forbid but Telegram's servers tolerate in practice:
// served (unless strict), and always recorded, so a test can assert that a client never does it.
struct Deviation {
  int code = 0;         // the bad_msg_notification code a strict server answers with
  std::string what;     // "msgs_ack with odd seq_no 7"
};

struct ProcessOutcome {
  std::vector<RpcRequest> calls;
  std::optional<int> disconnect_delay_s;  // ping_delay_disconnect: close if no ping within this
  std::vector<int> bad_msg_codes;          // what was refused (for the log and tests)
  std::vector<Deviation> deviations;       // what was tolerated (or, strict, refused as well)
};

struct IncomingMessage {
  std::int64_t salt = 0;
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  mtp::ByteSpan body;
};

class MessageProcessor {
 public:
  // destroy_session: removes another session of the same key; true when it existed.
  using DestroySession = std::function<bool(std::int64_t session_id)>;
  // Asked for each top-level message that carries content: true refuses it with bad_server_salt
  // whatever its salt (the force_bad_salt condition). Empty: never.
  using ForceBadSalt = std::function<bool(const ServerSession& session)>;

  // `strict`: refuse the deviations Telegram tolerates (seq_no parity, 34/35) with their
  // bad_msg_notification, for tests of a client's manners; otherwise serve them. Either way they
  // are reported in ProcessOutcome::deviations.
  MessageProcessor(SaltBook& salts, DestroySession destroy_session, ForceBadSalt force_bad_salt = {}, bool strict = false)
      : salts_(salts),
        destroy_session_(std::move(destroy_session)),
        force_bad_salt_(std::move(force_bad_salt)),
        strict_(strict) {}

  // `fresh_session`: the session was created for this message (new_session_created is due once
  // the message passes the checks). `now_s`: the server's clock.
  ProcessOutcome process(ServerSession& session, const IncomingMessage& message, bool& fresh_session,
                         std::int64_t now_s);

 private:
  // Checks and handles one message at top level or inside a container.
  void handle(ServerSession& session, std::int64_t msg_id, std::int32_t seq_no, mtp::ByteSpan body,
              bool in_container, bool& fresh_session, std::int64_t now_s, ProcessOutcome& out);
  void dispatch(ServerSession& session, std::int64_t msg_id, mtp::ByteSpan body, std::int64_t now_s,
                ProcessOutcome& out);
  void bad_msg(ServerSession& session, std::int64_t msg_id, std::int32_t seq_no, int code, ProcessOutcome& out);

  SaltBook& salts_;
  DestroySession destroy_session_;
  ForceBadSalt force_bad_salt_;
  bool strict_ = false;
};

// Serialises an MTProto object into an OutMessage.
template <class T>
OutMessage service_message(const T& object, bool content_related, bool is_answer) {
  OutMessage m;
  m.head = mtp::tl::serialize(object);
  m.content_related = content_related;
  m.is_answer = is_answer;
  return m;
}

// rpc_result for an API answer: the result stays a shared tail (never copied here). Results over
// the threshold that are not file data are sent gzip_packed, as Telegram does.
OutMessage rpc_answer(std::int64_t req_msg_id, std::shared_ptr<const mtp::Bytes> result);
OutMessage rpc_error_answer(std::int64_t req_msg_id, int code, const std::string& message);

}  // namespace testdc
