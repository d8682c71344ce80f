#pragma once
// Everything a Client needs to know before it talks to anyone: which network (Telegram's
// production DCs, or one test server with its own RSA key), the app's identity for
// initConnection, how to connect (transport, obfuscation, proxy) and the retry limits.
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "crypto/rsa.hpp"
#include "session/session.hpp"
#include "transport/connection.hpp"

namespace mtp::client {

// A server other than Telegram's production network: where its first DC listens, and its key.
struct TestServer {
  std::string host;
  std::uint16_t port = 0;
  int dc = 2;
  std::string rsa_public_key_pem;
};

struct ClientConfig {
  std::int32_t api_id = 0;
  std::string api_hash;
  // initConnection's description of this app (shown in the user's active sessions list).
  std::string device_model = "tgget";
  std::string system_version = "Linux";
  std::string app_version = "0.1.0";
  std::string lang_code = "en";

  std::optional<TestServer> test_server;  // unset: Telegram's production DCs and key

  // Transport, obfuscation, proxy and connect timeout of every connection; host/port/dc_id are
  // filled per connection.
  transport::ConnectOptions connect;
  bool prefer_ipv6 = false;
  std::chrono::milliseconds handshake_timeout{20'000};
  session::SessionDriverOptions session;

  // 500-class errors (INTERNAL, RPC_CALL_FAIL...) and timeouts retried this many times per call.
  int max_internal_retries = 5;
  std::chrono::milliseconds internal_retry_delay{100};
  // FLOOD_WAIT_X with X up to this is waited out transparently; longer ones are the caller's.
  std::chrono::seconds max_auto_flood_wait{10};
  // Migrations (303) followed per call before giving up (a loop would otherwise be endless).
  int max_migrations = 5;
};

// "production" or "test:<host>:<port>:<dc>:<key fingerprint>": the store remembers it, so keys
// made for one network are never offered to another.
std::string network_identity(const ClientConfig& config);

// The keys a handshake trusts: the test server's, or Telegram's production key.
Result<std::vector<crypto::RsaPublicKey>> trusted_keys(const ClientConfig& config);

}  // namespace mtp::client
