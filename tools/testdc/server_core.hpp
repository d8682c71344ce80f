#pragma once
// The MTProto core of the test DC, shared by every listener and connection: the RSA key the
// handshakes use, salts, sessions (which outlive connections), the run-time conditions, the
// server clock (host clock + the configured offset) and the API handler behind it all.
// Everything here runs on the server's one io_context thread.
#include <asio/awaitable.hpp>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <utility>

#include "api_call.hpp"
#include "conditions.hpp"
#include "crypto/rsa.hpp"
#include "salts.hpp"
#include "server_state.hpp"
#include "session/message_id.hpp"
#include "session_state.hpp"

namespace testdc {

using ApiHandler = std::function<asio::awaitable<ApiReply>(ApiCall&)>;

struct CoreOptions {
  std::chrono::milliseconds handshake_timeout{60'000};  // a half-finished handshake is dropped after this
  SessionLimits session_limits;
};

class ServerCore {
 public:
  ServerCore(ServerState& state, mtp::crypto::RsaPrivateKey rsa_key, ApiHandler handler, CoreOptions options = {});

  ServerState& state() { return state_; }
  const mtp::crypto::RsaPrivateKey& rsa_key() const { return rsa_key_; }
  ApiHandler& handler() { return handler_; }
  SaltBook& salts() { return salts_; }
  ConditionsRuntime& conditions() { return conditions_; }
  const CoreOptions& options() const { return options_; }
  void set_handshake_timeout(std::chrono::milliseconds timeout) { options_.handshake_timeout = timeout; }

  // The server's wall clock: the host's plus Conditions::clock_offset_s.
  const mtp::session::WallClock& clock() const { return clock_; }
  std::int64_t now_s() const { return clock_().count() / 1'000'000'000; }
  static std::int64_t steady_ns();

  std::uint64_t next_connection_id() { return ++last_connection_id_; }

  // Sessions by (auth key id, session id).
  std::shared_ptr<ServerSession> find_session(std::uint64_t key_id, std::int64_t session_id) const;
  std::shared_ptr<ServerSession> create_session(std::uint64_t key_id, std::int64_t session_id);
  bool destroy_session(std::uint64_t key_id, std::int64_t session_id);
  std::size_t session_count() const { return sessions_.size(); }

  // Registers a key a handshake produced (with its initial salt). False when the id is taken.
  bool add_key(const AuthKeyInfo& info, std::int64_t initial_salt);

 private:
  ServerState& state_;
  mtp::crypto::RsaPrivateKey rsa_key_;
  ApiHandler handler_;
  CoreOptions options_;
  SaltBook salts_;
  ConditionsRuntime conditions_;
  mtp::session::WallClock clock_;
  std::uint64_t last_connection_id_ = 0;
  std::map<std::pair<std::uint64_t, std::int64_t>, std::shared_ptr<ServerSession>> sessions_;
};

}  // namespace testdc
