#include "client_connection.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_awaitable.hpp>

#include <algorithm>
#include <cstring>
#include <cstdio>
#include <cstdlib>

#include "auth/plain_message.hpp"
#include "message_processor.hpp"
#include "packet_builder.hpp"
#include "recorder.hpp"
#include "rpc_runner.hpp"
#include "session/message_id.hpp"

namespace testdc {

namespace {
// TESTDC_TRACE=1: one stderr line per packet sent / message refused (debugging aid).
bool trace_enabled() {
  static const bool on = std::getenv("TESTDC_TRACE") != nullptr;
  return on;
}
}  // namespace

namespace {

constexpr auto kAwait = asio::experimental::as_tuple(asio::use_awaitable);
// Acks with nothing else to send wait this long for company.
constexpr std::int64_t kAckDelayNs = 50'000'000;

std::uint64_t read_u64(const std::uint8_t* p) {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

}  // namespace

ClientConnection::ClientConnection(ServerCore& core, asio::ip::tcp::socket socket, int dc, bool media_address)
    : core_(core),
      stream_(std::move(socket)),
      dc_(dc),
      media_address_(media_address),
      id_(core.next_connection_id()),
      wake_timer_(stream_.socket().get_executor()),
      disconnect_timer_(stream_.socket().get_executor()),
      bucket_(core.conditions().config().bandwidth_per_connection) {
  wake_timer_.expires_at(asio::steady_timer::time_point::max());
}

void ClientConnection::wake() { wake_timer_.cancel(); }

void ClientConnection::close() {
  if (!open_) return;
  open_ = false;
  stream_.close();
  wake_timer_.cancel();
  disconnect_timer_.cancel();
}

asio::awaitable<void> ClientConnection::run() {
  auto self = shared_from_this();
  asio::co_spawn(stream_.socket().get_executor(), [self]() { return self->writer(); }, asio::detached);
  co_await reader();
  close();
}

asio::awaitable<void> ClientConnection::reader() {
  while (open_) {
    auto packet = co_await stream_.receive();
    if (!packet) co_return;  // closed, reset or malformed framing: the connection is done
    // A stalled path loses what the client sends too: processing it could bind the client's session
    // back here and swallow its answers, or run calls nobody will see the answer to.
    if (stalled_) continue;
    if (packet->type != mtp::transport::Packet::Type::kData) continue;
    // The codec's receive buffer is ours until the next receive(): decrypt in place.
    mtp::MutableByteSpan data(const_cast<std::uint8_t*>(packet->payload.data()), packet->payload.size());
    if (data.size() < 8) {
      send_transport_error(mtp::auth::kTransportErrorNotFound);
      continue;
    }
    if (read_u64(data.data()) == 0) on_plain(data);
    else on_encrypted(data);
  }
}

void ClientConnection::send_transport_error(std::int32_t code) {
  plain_out_.push_back(PlainOut{std::nullopt, code});
  wake();
}

void ClientConnection::on_plain(mtp::ByteSpan packet) {
  const std::int64_t now = ServerCore::steady_ns();
  // A handshake the client abandoned halfway is forgotten after the timeout.
  const auto timeout_ns = std::chrono::nanoseconds(core_.options().handshake_timeout).count();
  if (handshake_ && now - handshake_started_ns_ > timeout_ns) handshake_.reset();

  auto message = mtp::auth::decode_plain_message(packet, stream_.transport() == mtp::transport::TransportKind::kPaddedIntermediate ? 15 : 0);
  if (!message) return send_transport_error(mtp::auth::kTransportErrorNotFound);
  if (!handshake_) {
    mtp::auth::ServerHandshakeOptions options;
    options.clock = core_.clock();
    options.key_id_free = [this](std::uint64_t id) { return !core_.state().keys().contains(id); };
    options.fault = core_.conditions().config().handshake_fault;
    if (core_.conditions().hostile().on(Hostility::kBadNonce)) options.fault = mtp::auth::HandshakeFault::kBadNonce;
    handshake_.emplace(core_.rsa_key(), std::move(options));
    handshake_started_ns_ = now;
  }
  record("pin", id_, message->body);
  auto action = handshake_->on_message(message->body);
  if (action.kind == mtp::auth::ServerAction::Kind::kTransportError) {
    core_.state().log().record(RpcRecord{dc_, id_, 0, "handshake", packet.size(), 0, action.reason});
    handshake_.reset();
    return send_transport_error(action.error);
  }
  if (const auto& result = handshake_->result(); result && !core_.state().keys().contains(result->auth_key_id)) {
    AuthKeyInfo info;
    info.id = result->auth_key_id;
    std::copy_n(result->auth_key.begin(), std::min<std::size_t>(256, result->auth_key.size()), info.key.begin());
    info.dc = dc_;
    core_.add_key(info, static_cast<std::int64_t>(result->server_salt));
    core_.state().log().record(RpcRecord{dc_, id_, info.id, "handshake", packet.size(), action.body.size(), "ok"});
  }
  mtp::session::MessageIdGenerator ids(core_.clock());
  const auto msg_id = ids.next(mtp::session::MessageIdGenerator::Role::server_response);
  record("pout", id_, action.body);
  plain_out_.push_back(PlainOut{mtp::transport::Frame::copy_of(mtp::auth::encode_plain_message(msg_id, action.body)), 0});
  wake();
}

const mtp::crypto::MessageCipher& ClientConnection::cipher_for(const AuthKeyInfo& key) {
  auto it = ciphers_.find(key.id);
  if (it == ciphers_.end()) {
    it = ciphers_.emplace(key.id, mtp::crypto::MessageCipher(key.key, mtp::crypto::MessageCipher::Role::kServer)).first;
  }
  return it->second;
}

void ClientConnection::on_encrypted(mtp::MutableByteSpan packet) {
  auto key = core_.state().keys().find(read_u64(packet.data()));
  // Keys are per DC: another DC's key is as unknown here as a made-up one.
  if (!key || key->dc != dc_) return send_transport_error(mtp::auth::kTransportErrorNotFound);
  if (stream_.transport() == mtp::transport::TransportKind::kPaddedIntermediate) {
    packet = mtp::crypto::strip_transport_padding(packet);
  }
  record("win", id_, packet);
  auto decrypted = cipher_for(*key).decrypt_in_place(packet);
  // A failed msg_key (or length) check: drop the packet without a word, as Telegram does.
  if (!decrypted) return;
  record("cin", static_cast<std::uint64_t>(decrypted->session_id),
         decrypted->plaintext.first(mtp::crypto::kPlaintextHeaderSize + decrypted->body.size()));

  auto session = core_.find_session(key->id, decrypted->session_id);
  bool fresh = false;
  if (!session) {
    session = core_.create_session(key->id, decrypted->session_id);
    fresh = true;
  }
  const bool moved = bind(session);

  MessageProcessor processor(
      core_.salts(), [this, &key](std::int64_t other) { return core_.destroy_session(key->id, other); },
      [this](const ServerSession& s) { return core_.conditions().take_forced_bad_salt(s.auth_key_id(), s.session_id()); },
      core_.conditions().config().strict);
  IncomingMessage incoming{decrypted->salt, decrypted->msg_id, decrypted->seq_no, decrypted->body};
  auto outcome = processor.process(*session, incoming, fresh, core_.now_s());
  if (fresh) core_.destroy_session(key->id, decrypted->session_id);  // refused before it began
  // The session came back on a new connection: what the client has not acknowledged goes again.
  // Only after this packet's acks are applied: a client's first packet on a new connection
  // usually acknowledges what it received just before the old one broke.
  if (moved) session->requeue_unacked();
  if (outcome.disconnect_delay_s) arm_disconnect(*outcome.disconnect_delay_s);
  // Refusals are in the log too, so tests can see that a client was corrected and recovered.
  for (const Deviation& d : outcome.deviations) {
    core_.state().log().record(RpcRecord{dc_, id_, key->id, "deviation", packet.size(), 0, std::to_string(d.code), d.what});
  }
  for (const int code : outcome.bad_msg_codes) {
    const char* what = code == 48 ? "bad_server_salt" : "bad_msg_notification";
    core_.state().log().record(RpcRecord{dc_, id_, key->id, what, packet.size(), 0, std::to_string(code)});
  }

  RpcOrigin origin{stream_.socket().get_executor(), dc_, media_address_, id_};
  for (auto& call : outcome.calls) {
    asio::co_spawn(origin.executor, run_rpc(core_, origin, session, key, std::move(call)), asio::detached);
  }
  if (session->has_messages()) wake();
  else if (session->has_pending_acks() && acks_due_ns_ == 0) {
    acks_due_ns_ = ServerCore::steady_ns() + kAckDelayNs;
    wake();
  }
}

bool ClientConnection::bind(const std::shared_ptr<ServerSession>& session) {
  auto current = session->bound.lock();
  if (current.get() == this) return false;
  session->bound = weak_from_this();
  if (std::find(sessions_.begin(), sessions_.end(), session) == sessions_.end()) sessions_.push_back(session);
  return true;
}

void ClientConnection::arm_disconnect(int delay_s) {
  disconnect_timer_.expires_after(std::chrono::seconds(std::max(delay_s, 0)));
  disconnect_timer_.async_wait([weak = weak_from_this()](const std::error_code& ec) {
    if (ec) return;  // re-armed by a later ping, or closed
    if (auto self = weak.lock()) self->close();
  });
}

asio::awaitable<void> ClientConnection::throttle(std::size_t bytes, std::uint64_t account) {
  const std::int64_t now = ServerCore::steady_ns();
  const auto n = static_cast<std::int64_t>(bytes);
  const std::int64_t wait = std::max(bucket_.reserve(n, now), core_.conditions().reserve_account_bytes(account, n, now));
  if (wait <= 0) co_return;
  asio::steady_timer timer(stream_.socket().get_executor(), std::chrono::nanoseconds(wait));
  co_await timer.async_wait(kAwait);
}

asio::awaitable<void> ClientConnection::stall(std::uint64_t auth_key_id, int ordinal) {
  stalled_ = true;
  // "Keeps its socket open": not even an earlier ping_delay_disconnect may close it.
  disconnect_timer_.cancel();
  const auto& c = core_.conditions().config();
  std::string detail = "silent after " + std::to_string(bytes_sent_) + " bytes (threshold " +
                       std::to_string(c.stall_after_bytes) + "), stall " + std::to_string(ordinal) + " of " +
                       (c.stall_connections > 0 ? std::to_string(c.stall_connections) : std::string("every connection"));
  core_.state().log().record(RpcRecord{dc_, id_, auth_key_id, "stall", 0, static_cast<std::size_t>(bytes_sent_), "ok",
                                       std::move(detail)});
  // Sessions keep queueing answers and waking us; they go out only once a session moves to
  // another connection.
  while (open_) {
    wake_timer_.expires_at(asio::steady_timer::time_point::max());
    co_await wake_timer_.async_wait(kAwait);
  }
}

asio::awaitable<void> ClientConnection::writer() {
  auto self = shared_from_this();
  const std::int64_t reset_every = core_.conditions().config().reset_every_bytes;
  const std::int64_t stall_after = core_.conditions().config().stall_after_bytes;
  while (open_) {
    if (!plain_out_.empty()) {
      PlainOut out = std::move(plain_out_.front());
      plain_out_.pop_front();
      if (out.frame) {
        if (!co_await stream_.send(*out.frame)) break;
        continue;
      }
      auto sent = co_await stream_.send_transport_error(out.transport_error);
      (void)sent;  // closing either way
      break;  // Telegram closes the connection after a transport error
    }
    // Drop sessions that moved to another connection.
    std::erase_if(sessions_, [this](const auto& s) { return s->bound.lock().get() != this; });
    const std::int64_t now = ServerCore::steady_ns();
    std::shared_ptr<ServerSession> ready;
    bool acks_waiting = false;
    for (const auto& s : sessions_) {
      if (s->has_messages() || (s->has_pending_acks() && acks_due_ns_ != 0 && now >= acks_due_ns_)) {
        ready = s;
        break;
      }
      acks_waiting = acks_waiting || s->has_pending_acks();
    }
    if (!ready) {
      if (acks_waiting && acks_due_ns_ == 0) acks_due_ns_ = now + kAckDelayNs;
      if (acks_waiting) wake_timer_.expires_after(std::chrono::nanoseconds(std::max<std::int64_t>(acks_due_ns_ - now, 0)));
      else wake_timer_.expires_at(asio::steady_timer::time_point::max());
      co_await wake_timer_.async_wait(kAwait);
      continue;
    }
    acks_due_ns_ = 0;
    auto key = core_.state().keys().find(ready->auth_key_id());
    if (!key) {
      ready->outbox().clear();
      ready->take_acks();
      continue;
    }
    bool answer = false;
    auto frame = build_packet(*ready, cipher_for(*key), core_.salts().current(key->id, core_.now_s()), {}, &answer);
    if (!frame) continue;
    const std::uint64_t account = key->user_id ? static_cast<std::uint64_t>(*key->user_id) : key->id;
    co_await throttle(frame->payload_size(), account);
    if (!open_) break;
    // --hostile replayed-msg-id and msg-key-mismatch (hostile.hpp).
    HostileServer& hostile = core_.conditions().hostile();
    if (answer && hostile.on(Hostility::kReplayedMsgId)) {
      if (auto replay = replayer_.before_answer(*frame)) {
        hostile.note(Hostility::kReplayedMsgId);
        core_.state().log().record(RpcRecord{dc_, id_, key->id, "hostile", 0, replay->payload_size(), "replayed-msg-id",
                                             "an earlier answer packet again"});
        if (!co_await stream_.send(*replay)) break;
      }
    }
    if (auto damaged = hostile.damage(*frame)) {
      core_.state().log().record(RpcRecord{dc_, id_, key->id, "hostile", 0, frame->payload_size(), "msg-key-mismatch",
                                           "damaged " + *damaged});
    }
    if (trace_enabled()) std::fprintf(stderr, "conn %llu sends %zu bytes\n", (unsigned long long)id_, frame->payload_size());
    if (!co_await stream_.send(*frame)) break;
    bytes_sent_ += static_cast<std::int64_t>(frame->payload_size());
    if (reset_every > 0 && bytes_sent_ >= reset_every) {  // the "connection reset" condition
      // In the log, so a test can tell a reset that happened from a condition switched off.
      core_.state().log().record(RpcRecord{dc_, id_, key->id, "reset", 0, static_cast<std::size_t>(bytes_sent_), "ok",
                                           "closed after " + std::to_string(bytes_sent_) + " bytes"});
      break;
    }
    if (stall_after > 0 && !stall_asked_ && bytes_sent_ >= stall_after) {
      stall_asked_ = true;
      if (auto ordinal = core_.conditions().take_stall()) {
        co_await stall(key->id, *ordinal);
        break;
      }
    }
  }
  close();
}

}  // namespace testdc
