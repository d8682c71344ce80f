#include "raw_client.hpp"

#include <cstring>

#include "auth/client_handshake_driver.hpp"
#include "crypto/random.hpp"
#include "tl/container.hpp"
#include "tl/object.hpp"
#include "tl/writer.hpp"
#include "transport/frame.hpp"

namespace testdc::testing {

namespace {
std::int64_t random_i64() {
  std::int64_t v = 0;
  mtp::crypto::random_bytes(mtp::MutableByteSpan(reinterpret_cast<std::uint8_t*>(&v), sizeof v));
  return v;
}
}  // namespace

RawClient::RawClient(mtp::transport::Connection connection) : connection_(std::move(connection)) {}

asio::awaitable<mtp::Result<RawClient>> RawClient::connect(asio::any_io_executor ex, const std::string& host, int port,
                                                           mtp::transport::TransportKind kind, bool obfuscated) {
  mtp::transport::ConnectOptions options;
  options.host = host;
  options.port = static_cast<std::uint16_t>(port);
  options.transport = kind;
  options.obfuscated = obfuscated;
  auto connection = co_await mtp::transport::Connection::connect(ex, options);
  if (!connection) co_return connection.error();
  co_return RawClient(std::move(*connection));
}

asio::awaitable<mtp::Status> RawClient::handshake(const mtp::crypto::RsaPublicKey& server_key, int dc_id) {
  mtp::auth::ClientHandshakeOptions options;
  options.dc_id = dc_id;
  options.trusted_keys = {server_key};
  auto key = co_await mtp::auth::create_auth_key(*connection_, options, std::chrono::seconds(20));
  if (!key) co_return key.error();
  use_key(*key);
  co_return mtp::Status{};
}

void RawClient::use_key(const mtp::auth::AuthKeyResult& key, std::optional<std::int64_t> session_id) {
  key_ = key;
  mtp::crypto::AuthKeySpan span(key_.auth_key.data(), 256);
  cipher_.emplace(span, mtp::crypto::MessageCipher::Role::kClient);
  session_id_ = session_id ? *session_id : random_i64();
  salt_ = static_cast<std::int64_t>(key.server_salt);
}

asio::awaitable<mtp::Result<std::int64_t>> RawClient::send(mtp::ByteSpan body, OutgoingOptions options) {
  const std::int64_t msg_id = options.msg_id ? *options.msg_id : next_msg_id();
  const std::int32_t seq_no = options.seq_no ? *options.seq_no : next_seq_no(options.content_related);
  mtp::tl::Writer plain;
  plain.int64(options.salt ? *options.salt : salt_);
  plain.int64(session_id_);
  plain.int64(msg_id);
  plain.int32(seq_no);
  plain.int32(static_cast<std::int32_t>(body.size()));
  plain.raw(body);
  const auto& text = plain.payload();
  mtp::transport::Frame frame(mtp::crypto::encrypted_message_size(text.size()));
  auto encrypted = cipher_->encrypt(text, frame.payload());
  if (!encrypted) co_return encrypted.error();
  if (options.corrupt_msg_key) frame.payload()[8] ^= 0x01;
  if (options.truncate_by > 0) {
    mtp::Bytes cut(encrypted->begin(), encrypted->end() - static_cast<std::ptrdiff_t>(options.truncate_by));
    frame = mtp::transport::Frame::copy_of(cut);
  }
  auto sent = co_await connection_->send(frame);
  if (!sent) co_return sent.error();
  co_return msg_id;
}

asio::awaitable<mtp::Result<std::vector<std::int64_t>>> RawClient::send_container(
    const std::vector<mtp::Bytes>& bodies, const std::vector<std::optional<std::int32_t>>& seq_nos) {
  std::vector<mtp::tl::MessageView> views;
  std::vector<std::int64_t> ids;
  for (std::size_t i = 0; i < bodies.size(); ++i) {
    ids.push_back(next_msg_id());
    const bool given = i < seq_nos.size() && seq_nos[i].has_value();
    views.push_back(mtp::tl::MessageView{ids.back(), given ? *seq_nos[i] : next_seq_no(true), bodies[i]});
  }
  mtp::tl::Writer w;
  mtp::tl::write_container(w, views);
  OutgoingOptions options;
  options.content_related = false;
  auto sent = co_await send(w.payload(), options);
  if (!sent) co_return sent.error();
  co_return ids;
}

asio::awaitable<mtp::Result<std::optional<std::vector<ServerMessage>>>> RawClient::receive(std::chrono::milliseconds timeout) {
  auto packet = co_await connection_->receive(timeout);
  if (!packet) {
    if (packet.error().code == mtp::kErrTimeout) co_return std::optional<std::vector<ServerMessage>>{};
    co_return packet.error();
  }
  if (packet->type == mtp::transport::Packet::Type::kTransportError) {
    co_return mtp::Error::local(mtp::kErrTransport, "TRANSPORT_ERROR", std::to_string(packet->error_code));
  }
  bytes_received_ += packet->payload.size();
  mtp::MutableByteSpan data(const_cast<std::uint8_t*>(packet->payload.data()), packet->payload.size());
  // Padded intermediate appends 0..15 random bytes; a no-op for the other transports.
  data = mtp::crypto::strip_transport_padding(data);
  auto message = cipher_->decrypt_in_place(data);
  if (!message) co_return message.error();
  std::vector<ServerMessage> out;
  if (mtp::tl::object_id(message->body) == mtp::tl::kMsgContainerId) {
    auto inner = mtp::tl::parse_container(message->body);
    if (!inner) co_return inner.error();
    for (const auto& m : *inner) {
      out.push_back(ServerMessage{m.msg_id, m.seqno, mtp::tl::object_id(m.body), mtp::Bytes(m.body.begin(), m.body.end()), true});
    }
  } else {
    out.push_back(ServerMessage{message->msg_id, message->seq_no, mtp::tl::object_id(message->body),
                                mtp::Bytes(message->body.begin(), message->body.end()), false});
  }
  co_return out;
}

asio::awaitable<mtp::Result<ServerMessage>> RawClient::receive_until(std::uint32_t id, std::chrono::milliseconds timeout,
                                                                     std::vector<ServerMessage>* skipped) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::optional<ServerMessage> found;
  while (!found) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) co_return mtp::Error::local(mtp::kErrTimeout, "NO_ANSWER");
    auto batch = co_await receive(left);
    if (!batch) co_return batch.error();
    if (!*batch) continue;
    for (auto& m : **batch) {
      if (!found && m.id == id) found = std::move(m);
      else if (skipped) skipped->push_back(std::move(m));
    }
  }
  co_return std::move(*found);
}

asio::awaitable<mtp::Result<mtp::Bytes>> RawClient::receive_result(std::int64_t req_msg_id, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (true) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) co_return mtp::Error::local(mtp::kErrTimeout, "NO_ANSWER");
    auto m = co_await receive_until(mtp::tl::kRpcResultId, left);
    if (!m) co_return m.error();
    auto result = mtp::tl::parse_rpc_result(m->body);
    if (!result) co_return result.error();
    if (result->req_msg_id != req_msg_id) continue;
    if (mtp::tl::object_id(result->result) == mtp::tl::kGzipPackedId) {
      co_return mtp::tl::unpack_gzip_packed(result->result);
    }
    co_return mtp::Bytes(result->result.begin(), result->result.end());
  }
}

}  // namespace testdc::testing
