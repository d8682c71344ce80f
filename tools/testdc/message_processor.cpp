#include "message_processor.hpp"

#include <cstdio>
#include <cstdlib>

#include "tl/container.hpp"
#include "tl/gzip.hpp"
#include "tl/mtproto.hpp"
#include "tl/reader.hpp"

namespace testdc {

namespace {
// TESTDC_TRACE=1: one stderr line per packet sent / message refused (debugging aid).
bool trace_enabled() {
  static const bool on = std::getenv("TESTDC_TRACE") != nullptr;
  return on;
}
}  // namespace

namespace mt = mtp::tl::mt;

namespace {

constexpr std::uint32_t kUploadFileId = 0x096a18d5;
constexpr std::uint32_t kUploadFileCdnRedirectId = 0xf18cda44;
constexpr std::uint32_t kHttpWaitId = 0x9299359f;
constexpr std::uint32_t kMsgResendReqId = 0x7d861a08;
constexpr std::uint32_t kDestroyAuthKeyId = 0xd1435160;
// Non-file answers above this size go out gzip_packed.
constexpr std::size_t kGzipThreshold = 1024;

// Messages that carry no content of their own: they are not acknowledged and take even seq_nos.
bool is_content_related(std::uint32_t id) {
  return id != mt::msgs_ack::kId && id != mtp::tl::kMsgContainerId && id != mtp::tl::kMsgCopyId && id != kHttpWaitId;
}

// A top-level message with content of its own, or a container holding at least one.
bool carries_content(mtp::ByteSpan body) {
  const std::uint32_t id = mtp::tl::object_id(body);
  if (id != mtp::tl::kMsgContainerId) return is_content_related(id);
  auto inner = mtp::tl::parse_container(body);
  if (!inner) return false;
  for (const auto& m : *inner) {
    if (is_content_related(mtp::tl::object_id(m.body))) return true;
  }
  return false;
}

// The seq_no parity rules (34: odd for a message without content, 35: even for one with
// content). A widely used client gives its msgs_ack odd seq_nos and Telegram's production servers
// serve it, so the test DC does too (and records it). Order (32/33), msg_id, salt and container
// rules are enforced: Telegram enforces them.
bool tolerated(int code) { return code == kSeqNoEvenExpected || code == kSeqNoOddExpected; }

std::string service_name(std::uint32_t id) {
  switch (id) {
    case mt::msgs_ack::kId: return "msgs_ack";
    case mtp::tl::kMsgContainerId: return "msg_container";
    case mtp::tl::kMsgCopyId: return "msg_copy";
    case kHttpWaitId: return "http_wait";
    default: {
      char buf[32];
      std::snprintf(buf, sizeof buf, "message #%08x", id);
      return buf;
    }
  }
}

std::string describe_parity(std::uint32_t id, std::int32_t seq_no, bool content) {
  return service_name(id) + (content ? " (content-related) with even seq_no " : " with odd seq_no ") +
         std::to_string(seq_no);
}

template <class T>
std::optional<T> parse_as(mtp::ByteSpan body) {
  auto parsed = mtp::tl::parse<T>(body);
  if (!parsed) return std::nullopt;
  return std::move(*parsed);
}

}  // namespace

ProcessOutcome MessageProcessor::process(ServerSession& session, const IncomingMessage& message,
                                         bool& fresh_session, std::int64_t now_s) {
  ProcessOutcome out;
  bool duplicate = false;
  // Time first: a client with a skewed clock must learn the server's time (16/17) before anything
  // else, because every retry would otherwise fail the same way.
  if (int code = session.check_msg_id(message.msg_id, duplicate); code != kMsgOk) {
    bad_msg(session, message.msg_id, message.seq_no, code, out);
    return out;
  }
  if (duplicate) return out;
  // A valid salt refused on purpose looks exactly like an expired one to the client.
  const bool forced = force_bad_salt_ && carries_content(message.body) && force_bad_salt_(session);
  if (forced || !salts_.valid(session.auth_key_id(), message.salt, now_s)) {
    mt::bad_server_salt bad;
    bad.bad_msg_id = message.msg_id;
    bad.bad_msg_seqno = message.seq_no;
    bad.error_code = kBadSalt;
    bad.new_server_salt = salts_.current(session.auth_key_id(), now_s);
    session.queue(service_message(bad, false, false));
    if (trace_enabled()) std::fprintf(stderr, "bad_server_salt%s for %lld\n", forced ? " (forced)" : "", (long long)message.msg_id);
    out.bad_msg_codes.push_back(kBadSalt);
    return out;
  }
  handle(session, message.msg_id, message.seq_no, message.body, false, fresh_session, now_s, out);
  return out;
}

void MessageProcessor::bad_msg(ServerSession& session, std::int64_t msg_id, std::int32_t seq_no, int code,
                               ProcessOutcome& out) {
  mt::bad_msg_notification bad;
  bad.bad_msg_id = msg_id;
  bad.bad_msg_seqno = seq_no;
  bad.error_code = code;
  session.queue(service_message(bad, false, false));
  if (trace_enabled()) std::fprintf(stderr, "bad_msg %d for %lld\n", code, (long long)msg_id);
  out.bad_msg_codes.push_back(code);
}

void MessageProcessor::handle(ServerSession& session, std::int64_t msg_id, std::int32_t seq_no, mtp::ByteSpan body,
                              bool in_container, bool& fresh_session, std::int64_t now_s, ProcessOutcome& out) {
  if (in_container) {
    bool duplicate = false;
    if (int code = session.check_msg_id(msg_id, duplicate); code != kMsgOk) return bad_msg(session, msg_id, seq_no, code, out);
    if (duplicate) return;
  }
  // A gzip_packed request counts as what it holds.
  mtp::Bytes inflated;
  if (mtp::tl::object_id(body) == mtp::tl::kGzipPackedId) {
    auto unpacked = mtp::tl::unpack_gzip_packed(body);
    if (!unpacked) return bad_msg(session, msg_id, seq_no, kBadContainer, out);
    inflated = std::move(*unpacked);
    body = inflated;
  }
  const std::uint32_t id = mtp::tl::object_id(body);
  const bool content = is_content_related(id);
  if (int code = session.check_seq_no(msg_id, seq_no, content); code != kMsgOk) {
    if (!tolerated(code)) return bad_msg(session, msg_id, seq_no, code, out);
    out.deviations.push_back(Deviation{code, describe_parity(id, seq_no, content)});
    if (strict_) return bad_msg(session, msg_id, seq_no, code, out);
    // Remembered with the parity it should have had, so the order checks of the messages after it
    // judge them, not this one's slip (an odd ack followed by an RPC with the same seq_no).
    if (!content) seq_no &= ~1;
  }

  if (id == mtp::tl::kMsgContainerId) {
    auto inner = mtp::tl::parse_container(body);
    bool valid = !in_container && inner.ok();
    if (valid) {
      for (const auto& m : *inner) valid = valid && m.msg_id < msg_id;
    }
    if (!valid) return bad_msg(session, msg_id, seq_no, kBadContainer, out);
    session.remember(msg_id, seq_no);
    for (const auto& m : *inner) handle(session, m.msg_id, m.seqno, m.body, true, fresh_session, now_s, out);
    return;
  }

  session.remember(msg_id, seq_no);
  if (fresh_session) {
    fresh_session = false;
    mt::new_session_created created;
    created.first_msg_id = msg_id;
    created.unique_id = session.unique_id();
    created.server_salt = salts_.current(session.auth_key_id(), now_s);
    session.queue(service_message(created, true, false));
  }
  if (content) session.add_ack(msg_id);
  dispatch(session, msg_id, body, now_s, out);
}

void MessageProcessor::dispatch(ServerSession& session, std::int64_t msg_id, mtp::ByteSpan body, std::int64_t now_s,
                                ProcessOutcome& out) {
  const std::uint32_t id = mtp::tl::object_id(body);
  switch (id) {
    case mt::msgs_ack::kId: {
      if (auto ack = parse_as<mt::msgs_ack>(body)) session.on_client_acks(ack->msg_ids);
      return;
    }
    case mt::ping::kId: {
      if (auto ping = parse_as<mt::ping>(body)) {
        session.queue(service_message(mt::pong{msg_id, ping->ping_id}, true, true));
      }
      return;
    }
    case mt::ping_delay_disconnect::kId: {
      if (auto ping = parse_as<mt::ping_delay_disconnect>(body)) {
        session.queue(service_message(mt::pong{msg_id, ping->ping_id}, true, true));
        out.disconnect_delay_s = ping->disconnect_delay;
      }
      return;
    }
    case mt::get_future_salts::kId: {
      if (auto req = parse_as<mt::get_future_salts>(body)) {
        // Sent as is, not in rpc_result: future_salts names the request itself.
        mt::future_salts salts;
        salts.req_msg_id = msg_id;
        salts.now = static_cast<std::int32_t>(now_s);
        for (const auto& f : salts_.future(session.auth_key_id(), now_s, req->num)) {
          salts.salts.push_back(mt::future_salt{f.valid_since, f.valid_until, f.salt});
        }
        session.queue(service_message(salts, true, true));
      }
      return;
    }
    case mt::destroy_session::kId: {
      if (auto req = parse_as<mt::destroy_session>(body)) {
        const bool existed = req->session_id != session.session_id() && destroy_session_(req->session_id);
        if (existed) session.queue(service_message(mt::destroy_session_ok{req->session_id}, true, true));
        else session.queue(service_message(mt::destroy_session_none{req->session_id}, true, true));
      }
      return;
    }
    case mt::msgs_state_req::kId: {
      if (auto req = parse_as<mt::msgs_state_req>(body)) {
        // Minimal: 4 = received, 1 = nothing known about it.
        mt::msgs_state_info info;
        info.req_msg_id = msg_id;
        for (std::int64_t asked : req->msg_ids) info.info.push_back(session.seen(asked) ? 4 : 1);
        session.queue(service_message(info, true, true));
      }
      return;
    }
    case mt::rpc_drop_answer::kId: {
      mtp::tl::Writer w;
      mtp::tl::write_rpc_result(w, msg_id, mtp::tl::serialize(mt::rpc_answer_unknown{}));
      OutMessage m;
      m.head = w.take();
      m.is_answer = true;
      session.queue(std::move(m));
      return;
    }
    case kHttpWaitId:
    case kMsgResendReqId:
    case kDestroyAuthKeyId:
      return;
    default:
      out.calls.push_back(RpcRequest{msg_id, mtp::Bytes(body.begin(), body.end())});
  }
}

OutMessage rpc_answer(std::int64_t req_msg_id, std::shared_ptr<const mtp::Bytes> result) {
  OutMessage m;
  m.is_answer = true;
  const std::uint32_t id = mtp::tl::object_id(*result);
  if (result->size() > kGzipThreshold && id != kUploadFileId && id != kUploadFileCdnRedirectId) {
    mtp::tl::Writer w;
    w.uint32(mtp::tl::kRpcResultId);
    w.int64(req_msg_id);
    mtp::tl::write_gzip_packed(w, *result);
    m.head = w.take();
    return m;
  }
  mtp::tl::Writer w;
  w.uint32(mtp::tl::kRpcResultId);
  w.int64(req_msg_id);
  m.head = w.take();
  m.tail = std::move(result);
  return m;
}

OutMessage rpc_error_answer(std::int64_t req_msg_id, int code, const std::string& message) {
  mtp::tl::Writer w;
  w.uint32(mtp::tl::kRpcResultId);
  w.int64(req_msg_id);
  mt::rpc_error{code, message}.store(w);
  OutMessage m;
  m.head = w.take();
  m.is_answer = true;
  return m;
}

}  // namespace testdc
