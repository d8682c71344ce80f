#include "session/client_session.hpp"

#include <cstring>
#include <string>

#include "crypto/random.hpp"
#include "session/rpc_result.hpp"
#include "tl/container.hpp"
#include "tl/mtproto.hpp"

namespace mtp::session {
namespace mt = tl::mt;

namespace {

constexpr std::size_t kSeenWindow = 1024;  // server msg_ids remembered for duplicate detection
// MTProto security guidelines: msg_ids over 300 s in the past or 30 s in the future are ignored.
constexpr std::int64_t kMaxPastS = 300;
constexpr std::int64_t kMaxFutureS = 30;
constexpr std::int32_t kFutureSaltsAsked = 32;

Error security(std::string type, std::string detail) {
  return Error::local(kErrSecurity, std::move(type), std::move(detail));
}

std::string bad_msg_meaning(std::int32_t code) {
  switch (code) {
    case 18: return "msg_id has wrong low bits";
    case 19: return "container msg_id reused";
    case 20: return "message too old";
    case 34: return "even seqno expected";
    case 35: return "odd seqno expected";
    case 64: return "invalid container";
    default: return "bad_msg_notification";
  }
}

template <class T>
Result<T> parse_service(ByteSpan body) {
  auto parsed = tl::parse<T>(body);
  if (!parsed) {
    Error e = std::move(parsed).error();
    e.detail = std::string(T::kName).append(": ").append(e.detail);
    return e;
  }
  return parsed;
}

std::int64_t random_session_id(const crypto::MessageCipher::RandomFill& random) {
  std::int64_t id = 0;
  MutableByteSpan bytes(reinterpret_cast<std::uint8_t*>(&id), sizeof id);
  if (random) random(bytes);
  else crypto::system_random()(bytes);
  return id;
}

}  // namespace

ClientSession::ClientSession(crypto::AuthKeySpan auth_key, SessionOptions options)
    : cipher_(auth_key, crypto::MessageCipher::Role::kClient, options.random),
      options_(std::move(options)),
      ids_(options_.clock),
      salts_(options_.initial_salt),
      acks_(options_.acks) {
  session_id_ = options_.session_id ? *options_.session_id : random_session_id(options_.random);
  ids_.set_server_offset(options_.server_time_offset);
  time_known_ = options_.server_time_known;
}

RequestId ClientSession::enqueue(Bytes request) { return pending_.add(std::move(request)); }

void ClientSession::enqueue_ping(std::int64_t ping_id, std::int32_t disconnect_delay) {
  pending_.add(tl::serialize(mt::ping_delay_disconnect{ping_id, disconnect_delay}), PendingRequest::Kind::kPing);
}

bool ClientSession::wants_to_send(SteadyTime now) const {
  return pending_.has_queued() || !resend_asks_.empty() || acks_.due(now);
}

std::optional<ClientSession::SteadyTime> ClientSession::ack_deadline() const {
  if (acks_.empty()) return std::nullopt;
  return acks_.deadline();
}

std::int32_t ClientSession::next_seq_no(bool content_related) {
  return seq_.next(content_related) + 2 * seq_bias_;
}

Result<std::optional<transport::Frame>> ClientSession::next_packet(SteadyTime now) {
  if (!wants_to_send(now)) return std::optional<transport::Frame>();
  const std::int64_t server_now = ids_.server_unixtime();
  if (options_.request_future_salts && pending_.has_queued() && server_now >= next_salts_ask_ &&
      salts_.wants_more(server_now) && !pending_.has_kind(PendingRequest::Kind::kFutureSalts)) {
    // At most once a minute, so a server that refuses the request is not asked on every packet.
    next_salts_ask_ = server_now + 60;
    pending_.add(tl::serialize(mt::get_future_salts{kFutureSaltsAsked}), PendingRequest::Kind::kFutureSalts);
  }

  // Bodies that exist only for this packet (acks, resend asks) live here until it is sealed.
  std::vector<Bytes> service;
  std::vector<OutgoingMessage> messages;
  std::vector<RequestId> requests;
  BatchPlanner planner(options_.batch);

  if (!acks_.empty()) {
    Bytes ack = tl::serialize(mt::msgs_ack{acks_.take()});
    if (planner.try_add(ack.size())) service.push_back(std::move(ack));
  }
  const std::size_t service_acks = service.size();
  if (!resend_asks_.empty()) {
    Bytes ask = tl::serialize(mt::msg_resend_req{resend_asks_});
    if (planner.try_add(ask.size())) {
      service.push_back(std::move(ask));
      resend_asks_.clear();
    }
  }
  for (RequestId id : pending_.queue()) {
    if (!planner.try_add(pending_.find(id)->body.size())) break;
    requests.push_back(id);
  }

  // msg_ids in order of appearance; the container's id comes last so it is the largest.
  for (std::size_t i = 0; i < service.size(); ++i) {
    const bool content = i >= service_acks;  // msg_resend_req is content-related, msgs_ack is not
    messages.push_back({ids_.next(), next_seq_no(content), service[i]});
  }
  std::optional<Bytes> wrapped;  // the first request of a connection, wrapped (initConnection...)
  for (RequestId id : requests) {
    ByteSpan body = pending_.find(id)->body;
    if (init_pending_ && options_.wrap_first_request && pending_.find(id)->kind == PendingRequest::Kind::kUser) {
      wrapped = options_.wrap_first_request(body);
      body = *wrapped;
      init_pending_ = false;
      init_request_ = id;
    }
    messages.push_back({ids_.next(), next_seq_no(true), body});
  }

  PlaintextHeader header;
  header.salt = salts_.salt_for(ids_.server_unixtime());
  header.session_id = session_id_;
  if (messages.size() == 1) {
    header.msg_id = messages[0].msg_id;
    header.seq_no = messages[0].seq_no;
  } else {
    header.msg_id = ids_.next();
    header.seq_no = next_seq_no(false);
  }
  std::size_t m = service.size();
  for (RequestId id : requests) pending_.mark_sent(id, messages[m++].msg_id, messages.size() == 1 ? 0 : header.msg_id);
  auto frame = seal_packet(cipher_, header, messages);
  if (!frame) return std::move(frame).error();
  return std::optional<transport::Frame>(std::move(*frame));
}

void ClientSession::on_connection_lost() {
  pending_.remove_kind(PendingRequest::Kind::kPing);  // a ping belongs to the connection that died
  pending_.requeue_unacknowledged();
  init_pending_ = true;
  init_request_ = 0;
  // Requests the server acknowledged are not sent again, but the server resends their answers
  // only once the session shows up on the new connection: a ping says it is here.
  if (pending_.queue().empty() && pending_.size() > 0) enqueue_ping(reconnect_ping_id_++);
}

void ClientSession::forget_init(RequestId id, bool succeeded) {
  if (id != init_request_) return;
  init_request_ = 0;
  // A wrapped request that bounced or failed may not have initialised the connection: wrap the next.
  if (!succeeded) init_pending_ = true;
}

bool ClientSession::outside_time_window(std::int64_t msg_id) const {
  const std::int64_t now = ids_.server_unixtime();
  const std::int64_t at = msg_id_unixtime(msg_id);
  return at < now - kMaxPastS || at > now + kMaxFutureS;
}

Result<ClientSession::MsgIdVerdict> ClientSession::check_server_msg_id(std::int64_t msg_id, std::uint32_t constructor) {
  const std::int64_t low = msg_id & 3;
  if (low != 1 && low != 3) return security("BAD_SERVER_MSG_ID", "server msg_id is not 1 or 3 mod 4");
  // MTProto security guidelines: a msg_id equal to a remembered one, or lower than all of them, is
  // ignored (a replay must not be able to end the connection either, as it did before).
  if (seen_.count(msg_id) != 0) return MsgIdVerdict::kDuplicate;
  if (seen_.size() >= kSeenWindow && msg_id < *seen_.begin()) return MsgIdVerdict::kDuplicate;
  // ...and so is one more than 300 s behind or 30 s ahead of the server's time, once we know it.
  // Not for bad_msg_notification, whose msg_id is how the server tells us its time (16/17), nor
  // for containers and gzip_packed, whose contents are checked one by one.
  const bool checked = constructor != tl::mt::bad_msg_notification::kId && constructor != tl::kMsgContainerId &&
                       constructor != tl::kGzipPackedId;
  if (time_known_ && checked && outside_time_window(msg_id)) return MsgIdVerdict::kOutOfWindow;
  if (seen_.size() >= kSeenWindow) seen_.erase(seen_.begin());
  seen_.insert(msg_id);
  return MsgIdVerdict::kFresh;
}

Result<Incoming> ClientSession::on_packet(MutableByteSpan payload, SteadyTime now) {
  inflated_.clear();
  auto decrypted = cipher_.decrypt_in_place(crypto::strip_transport_padding(payload));
  if (!decrypted) return std::move(decrypted).error();
  if (decrypted->session_id != session_id_) return security("WRONG_SESSION_ID", "message for another session");
  Incoming out;
  MTP_TRY(handle_message(decrypted->msg_id, decrypted->seq_no, decrypted->body, false, now, out));
  return out;
}

Status ClientSession::handle_message(std::int64_t msg_id, std::int32_t seq_no, ByteSpan body, bool in_container,
                                     SteadyTime now, Incoming& out) {
  const std::uint32_t id = tl::object_id(body);
  auto verdict = check_server_msg_id(msg_id, id);
  if (!verdict) return std::move(verdict).error();
  // A repeat is acknowledged again (the server may have missed our ack) but never handled twice.
  if (*verdict == MsgIdVerdict::kDuplicate && (seq_no & 1) != 0) acks_.push(msg_id, now);
  if (*verdict != MsgIdVerdict::kFresh) return {};
  if ((seq_no & 1) != 0) acks_.push(msg_id, now);

  switch (id) {
    case tl::kMsgContainerId: {
      if (in_container) return security("NESTED_CONTAINER", "msg_container inside msg_container");
      auto inner = tl::parse_container(body);
      if (!inner) return std::move(inner).error();
      for (const tl::MessageView& m : *inner) MTP_TRY(handle_message(m.msg_id, m.seqno, m.body, true, now, out));
      return {};
    }
    case tl::kGzipPackedId: {
      auto unpacked = tl::unpack_gzip_packed(body, options_.max_inflated);
      if (!unpacked) return std::move(unpacked).error();
      inflated_.push_back(std::move(*unpacked));
      // The inner object is the same message: same id (already recorded) and seqno (already acked).
      seen_.erase(msg_id);
      return handle_message(msg_id, seq_no & ~1, inflated_.back(), true, now, out);
    }
    case tl::kRpcResultId: {
      auto rpc = tl::parse_rpc_result(body);
      if (!rpc) return std::move(rpc).error();
      inflated_.emplace_back();
      auto answer = open_rpc_answer(rpc->result, inflated_.back(), options_.max_inflated);
      deliver(rpc->req_msg_id, std::move(answer), out);
      return {};
    }
    case mt::msgs_ack::kId: {
      auto ack = parse_service<mt::msgs_ack>(body);
      if (!ack) return std::move(ack).error();
      for (std::int64_t acked : ack->msg_ids)
        if (PendingRequest* r = pending_.by_msg_id(acked)) r->acked = true;
      return {};
    }
    case mt::bad_server_salt::kId: {
      auto bad = parse_service<mt::bad_server_salt>(body);
      if (!bad) return std::move(bad).error();
      salts_.set_current(bad->new_server_salt);
      resend(bad->bad_msg_id, out);
      return {};
    }
    case mt::bad_msg_notification::kId: {
      auto bad = parse_service<mt::bad_msg_notification>(body);
      if (!bad) return std::move(bad).error();
      return handle_bad_msg(msg_id, bad->bad_msg_id, bad->error_code, out);
    }
    case mt::new_session_created::kId: {
      auto created = parse_service<mt::new_session_created>(body);
      if (!created) return std::move(created).error();
      salts_.set_current(created->server_salt);
      // Every session starts with it: the server's clock as it stands (see server_time_known).
      if (!time_known_ && outside_time_window(msg_id)) ids_.sync_with_server_msg_id(msg_id);
      time_known_ = true;
      out.new_session = true;
      // Requests the server received before it (re)created the session are lost to it.
      for (RequestId lost : pending_.sent_before(created->first_msg_id)) pending_.requeue(lost);
      return {};
    }
    case mt::pong::kId: {
      auto pong = parse_service<mt::pong>(body);
      if (!pong) return std::move(pong).error();
      deliver(pong->msg_id, body, out);
      return {};
    }
    case mt::future_salts::kId: {
      auto salts = parse_service<mt::future_salts>(body);
      if (!salts) return std::move(salts).error();
      std::vector<FutureSalt> announced;
      for (const auto& s : salts->salts) announced.push_back({s.valid_since, s.valid_until, s.salt});
      salts_.add_future(announced);
      deliver(salts->req_msg_id, body, out);
      return {};
    }
    case mt::msg_detailed_info::kId:
    case mt::msg_new_detailed_info::kId: {
      std::int64_t answer_msg_id = 0;
      if (id == mt::msg_detailed_info::kId) {
        auto info = parse_service<mt::msg_detailed_info>(body);
        if (!info) return std::move(info).error();
        answer_msg_id = info->answer_msg_id;
      } else {
        auto info = parse_service<mt::msg_new_detailed_info>(body);
        if (!info) return std::move(info).error();
        answer_msg_id = info->answer_msg_id;
      }
      // Already received: just ack it. Otherwise ask the server to send the answer again.
      if (seen_.count(answer_msg_id) != 0) acks_.push(answer_msg_id, now);
      else resend_asks_.push_back(answer_msg_id);
      return {};
    }
    case mt::msgs_state_info::kId:
    case mt::msg_resend_req::kId:
    case mt::msgs_state_req::kId:
    case mt::destroy_session_ok::kId:
    case mt::destroy_session_none::kId:
    case mt::http_wait::kId:
      return {};
    default:
      if (body.size() < 4) return Error::local(kErrMalformed, "TL_TRUNCATED", "message shorter than a constructor id");
      out.updates.push_back(body);
      return {};
  }
}

Status ClientSession::handle_bad_msg(std::int64_t notification_msg_id, std::int64_t bad_msg_id, std::int32_t code,
                                     Incoming& out) {
  switch (code) {
    case 16:
    case 17:
      // Our clock is off: the notification's own msg_id carries the server's time.
      ids_.sync_with_server_msg_id(notification_msg_id);
      time_known_ = true;
      resend(bad_msg_id, out);
      return {};
    case 32:
      seq_bias_ += 32;  // seqno too low: jump well ahead
      resend(bad_msg_id, out);
      return {};
    case 33:
      seq_bias_ -= std::min<std::int32_t>(8, seq_bias_ + seq_.content_messages_sent());
      resend(bad_msg_id, out);
      return {};
    case 48:
      resend(bad_msg_id, out);  // bad_server_salt carries the salt; this form does not
      return {};
    default: {
      Error error = Error::local(kErrInternal, "BAD_MSG_NOTIFICATION", bad_msg_meaning(code));
      error.value = code;
      error.detail.append(" (").append(std::to_string(code)).append(")");
      for (RequestId id : pending_.sent_as(bad_msg_id)) fail(id, error, out);
      return {};
    }
  }
}

void ClientSession::deliver(std::int64_t req_msg_id, Result<ByteSpan> body, Incoming& out) {
  PendingRequest* r = pending_.by_msg_id(req_msg_id);
  if (r == nullptr) return;  // cancelled or already answered: acked and ignored
  const RequestId id = r->id;
  const auto kind = r->kind;
  const bool not_inited = !body.ok() && body.error().is("CONNECTION_NOT_INITED");
  forget_init(id, !not_inited);
  if (not_inited) init_pending_ = true;  // the caller retries; the retry carries the wrapper again
  pending_.remove(id);
  if (kind == PendingRequest::Kind::kUser) out.answers.push_back({id, std::move(body)});
}

void ClientSession::resend(std::int64_t msg_id, Incoming& out) {
  for (RequestId id : pending_.sent_as(msg_id)) {
    // A request the server keeps bouncing fails instead of looping forever.
    if (pending_.find(id)->sends >= options_.max_sends)
      fail(id, Error::local(kErrInternal, "RESEND_LIMIT", "request rejected by the server too many times"), out);
    else
      pending_.requeue(id);
    forget_init(id, false);
  }
}

void ClientSession::fail(RequestId id, Error error, Incoming& out) {
  forget_init(id, false);
  auto removed = pending_.remove(id);
  if (removed && removed->kind == PendingRequest::Kind::kUser) out.answers.push_back({id, std::move(error)});
}

}  // namespace mtp::session
