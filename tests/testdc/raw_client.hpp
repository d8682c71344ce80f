#pragma once
// A deliberately low-level MTProto client for the test DC's protocol tests: it sends hand-built
// encrypted messages (any msg_id, seq_no, salt, even a broken msg_key) and shows every message the
// server sends back, containers unpacked. Nothing is retried or hidden.
#include <asio/awaitable.hpp>
#include <asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <vector>

#include "auth/auth_key.hpp"
#include "crypto/message_cipher.hpp"
#include "crypto/rsa.hpp"
#include "tl/object.hpp"
#include "session/message_id.hpp"
#include "session/seq_no.hpp"
#include "transport/connection.hpp"

namespace testdc::testing {

struct ServerMessage {
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  std::uint32_t id = 0;   // constructor id of the body
  mtp::Bytes body;
  bool in_container = false;
};

struct OutgoingOptions {
  std::optional<std::int64_t> msg_id;
  std::optional<std::int32_t> seq_no;
  std::optional<std::int64_t> salt;
  bool content_related = true;
  bool corrupt_msg_key = false;
  std::size_t truncate_by = 0;  // drop this many bytes from the end of the encrypted packet
};

class RawClient {
 public:
  // Connects to host:port with the given transport; no key yet.
  static asio::awaitable<mtp::Result<RawClient>> connect(asio::any_io_executor ex, const std::string& host, int port,
                                                         mtp::transport::TransportKind kind =
                                                             mtp::transport::TransportKind::kIntermediate,
                                                         bool obfuscated = false);

  // Runs the real handshake (auth/client_handshake_driver) against the server.
  asio::awaitable<mtp::Status> handshake(const mtp::crypto::RsaPublicKey& server_key, int dc_id);
  // Uses an existing key (e.g. shared with another RawClient) and optionally an existing session.
  void use_key(const mtp::auth::AuthKeyResult& key, std::optional<std::int64_t> session_id = std::nullopt);

  const mtp::auth::AuthKeyResult& key() const { return key_; }
  std::int64_t session_id() const { return session_id_; }
  std::int64_t salt() const { return salt_; }
  void set_salt(std::int64_t salt) { salt_ = salt; }

  // Next client msg_id from the host clock.
  std::int64_t next_msg_id() { return ids_.next(); }
  std::int32_t next_seq_no(bool content_related) { return seq_.next(content_related); }

  // Sends one message; returns its msg_id.
  asio::awaitable<mtp::Result<std::int64_t>> send(mtp::ByteSpan body, OutgoingOptions options = {});
  // Sends several messages in one msg_container; returns their msg_ids. Each inner message gets
  // the seq_no of a content-related message unless `seq_nos` names another (nullopt: the default).
  asio::awaitable<mtp::Result<std::vector<std::int64_t>>> send_container(
      const std::vector<mtp::Bytes>& bodies, const std::vector<std::optional<std::int32_t>>& seq_nos = {});

  // The next packet's messages (a container's inner messages, or the one message). nullopt on
  // timeout; an error when the connection is gone.
  asio::awaitable<mtp::Result<std::optional<std::vector<ServerMessage>>>> receive(std::chrono::milliseconds timeout);
  // Receives until a message with constructor id `id` arrives (others are collected in `skipped`).
  asio::awaitable<mtp::Result<ServerMessage>> receive_until(std::uint32_t id, std::chrono::milliseconds timeout,
                                                            std::vector<ServerMessage>* skipped = nullptr);
  // rpc_result for req_msg_id (its inner result), skipping everything else.
  asio::awaitable<mtp::Result<mtp::Bytes>> receive_result(std::int64_t req_msg_id, std::chrono::milliseconds timeout);

  std::size_t bytes_received() const { return bytes_received_; }
  mtp::transport::Connection& connection() { return *connection_; }
  void close() { connection_->close(); }

 private:
  explicit RawClient(mtp::transport::Connection connection);

  std::optional<mtp::transport::Connection> connection_;
  mtp::auth::AuthKeyResult key_;
  std::optional<mtp::crypto::MessageCipher> cipher_;
  std::int64_t session_id_ = 0;
  std::int64_t salt_ = 0;
  mtp::session::MessageIdGenerator ids_;
  mtp::session::SeqNoCounter seq_;
  std::size_t bytes_received_ = 0;
};

// Serialises a TL object.
template <class T>
mtp::Bytes tl_bytes(const T& object) {
  return mtp::tl::serialize(object);
}

}  // namespace testdc::testing
