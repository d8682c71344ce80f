#pragma once
// One accepted TCP connection of the test DC: a reader loop (transport auto-detected; plain
// messages to the handshake, encrypted ones decrypted and handed to their session) and a writer
// loop that sends what the sessions bound here have queued, under the bandwidth, reset and stall
// conditions. API calls run as their own coroutines and queue their answers on the session, so
// a slow call never blocks the connection.
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

#include "auth/server_handshake.hpp"
#include "crypto/message_cipher.hpp"
#include "hostile.hpp"
#include "server_core.hpp"
#include "throttle.hpp"
#include "transport/server_connection.hpp"

namespace testdc {

class ClientConnection : public std::enable_shared_from_this<ClientConnection> {
 public:
  ClientConnection(ServerCore& core, asio::ip::tcp::socket socket, int dc, bool media_address);

  // Runs until the peer disconnects, the connection is closed, or a fatal transport error.
  asio::awaitable<void> run();
  // A session bound here has new output.
  void wake();
  void close();

  std::uint64_t id() const { return id_; }
  int dc() const { return dc_; }
  bool media_address() const { return media_address_; }
  bool is_open() const { return open_; }

 private:
  struct PlainOut {
    std::optional<mtp::transport::Frame> frame;  // a plain handshake message
    std::int32_t transport_error = 0;             // or a transport error (then the connection closes)
  };

  asio::awaitable<void> reader();
  asio::awaitable<void> writer();
  void on_plain(mtp::ByteSpan packet);
  void on_encrypted(mtp::MutableByteSpan packet);
  void send_transport_error(std::int32_t code);
  bool bind(const std::shared_ptr<ServerSession>& session);  // true: it moved here
  const mtp::crypto::MessageCipher& cipher_for(const AuthKeyInfo& key);
  // Waits out the bandwidth caps for `bytes` about to be sent.
  asio::awaitable<void> throttle(std::size_t bytes, std::uint64_t account);
  void arm_disconnect(int delay_s);
  // The stall fault: logs it, then parks the writer until the connection closes.
  asio::awaitable<void> stall(std::uint64_t auth_key_id, int ordinal);

  ServerCore& core_;
  mtp::transport::ServerConnection stream_;
  int dc_;
  bool media_address_;
  std::uint64_t id_;
  bool open_ = true;

  asio::steady_timer wake_timer_;
  asio::steady_timer disconnect_timer_;
  std::deque<PlainOut> plain_out_;
  std::vector<std::shared_ptr<ServerSession>> sessions_;  // bound here at some point
  std::unordered_map<std::uint64_t, mtp::crypto::MessageCipher> ciphers_;

  std::optional<mtp::auth::ServerHandshake> handshake_;
  std::int64_t handshake_started_ns_ = 0;

  TokenBucket bucket_;
  std::int64_t bytes_sent_ = 0;
  bool stall_asked_ = false;  // past stall_after_bytes, the conditions were asked once
  bool stalled_ = false;      // silent for good: nothing sent, everything received dropped
  std::int64_t acks_due_ns_ = 0;  // when pending acks alone are worth a packet
  PacketReplayer replayer_;       // --hostile replayed-msg-id
};

}  // namespace testdc
