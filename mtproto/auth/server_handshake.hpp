#pragma once
// The server role of auth-key creation, for the test DC, as a sans-io state machine: fed the bodies
// of the client's plain messages, it answers with a body to send or a transport error.
//
// req_pq / req_pq_multi → resPQ (our fingerprint, a fresh pq); req_DH_params → RSA_PAD decryption,
// falling back to the legacy SHA1 + data + padding scheme of Telethon 1.x and GramJS, any of the
// four p_q_inner_data constructors → server_DH_params_ok on the standard 2048-bit prime with g = 3;
// set_client_DH_params → dh_gen_ok, dh_gen_retry when the caller says the key id is taken, or
// dh_gen_fail on a wrong retry_id. Anything malformed or out of order gets transport error -404,
// as Telegram's DCs do. A req_pq(_multi) at any point starts a new handshake.
//
// For client tests the options can make the server lie in one way (HandshakeFault): everything it
// sends stays well-formed and correctly encrypted, so only the client's own checks can catch it.
#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include "auth/auth_key.hpp"
#include "core/bytes.hpp"
#include "crypto/dh.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa.hpp"
#include "session/message_id.hpp"

namespace mtp::auth {

inline constexpr std::int32_t kTransportErrorNotFound = -404;

// A deliberate protocol violation of the server, for testing what a client does with it.
enum class HandshakeFault {
  kNone,
  kUnknownFingerprint,  // resPQ offers only a fingerprint that is not our key's
  kBadDhPrime,          // server_DH_inner_data carries a composite 2048-bit dh_prime (see bad_dh_prime())
  kGaOutOfRange,        // server_DH_inner_data carries g_a = 1
  kBadNonce,            // resPQ echoes a nonce that is not the client's (one bit flipped)
};

// "none", "unknown-fingerprint", "bad-dh-prime", "g-a-out-of-range", "bad-nonce" (the test DC's flag values).
std::string_view handshake_fault_name(HandshakeFault fault);
std::optional<HandshakeFault> handshake_fault_from_name(std::string_view name);

// The fingerprint kUnknownFingerprint offers instead of `ours`.
std::uint64_t unknown_fingerprint(std::uint64_t ours);
// The dh_prime kBadDhPrime sends: the standard prime minus 6. Still odd, 2048 bits and 2 mod 3 (so
// g = 3 passes the residue check and a client gets as far as the primality test), but composite.
Bytes bad_dh_prime();

struct ServerHandshakeOptions {
  crypto::RandomSource random;  // system_random() when empty
  session::WallClock clock;     // system_wall_clock() when empty
  // Whether a new key's id may be used (not already registered). Empty: always.
  std::function<bool(std::uint64_t auth_key_id)> key_id_free;
  HandshakeFault fault = HandshakeFault::kNone;
};

struct ServerAction {
  enum class Kind { kSend, kTransportError };
  Kind kind = Kind::kSend;
  Bytes body;                                   // kSend: a TL body for a plain message
  std::int32_t error = kTransportErrorNotFound;  // kTransportError
  // Why a transport error was chosen (for the server's log; never sent).
  std::string reason;

  static ServerAction send(Bytes body, std::string reason = {}) {
    return {Kind::kSend, std::move(body), 0, std::move(reason)};
  }
  static ServerAction transport_error(std::string reason, std::int32_t code = kTransportErrorNotFound) {
    return {Kind::kTransportError, {}, code, std::move(reason)};
  }
};

// A key the server accepted (after dh_gen_ok was produced).
struct ServerAuthKey : AuthKeyResult {
  std::int32_t server_time = 0;  // the server_time of server_DH_inner_data
  std::int32_t dc_id = 0;        // p_q_inner_data_dc.dc; 0 for p_q_inner_data without dc
  std::optional<std::int32_t> expires_in;  // set for temporary keys (p_q_inner_data_temp*)
  bool legacy_rsa = false;       // the client used the pre-RSA_PAD scheme
};

class ServerHandshake {
 public:
  ServerHandshake(crypto::RsaPrivateKey key, ServerHandshakeOptions options = {});

  ServerAction on_message(ByteSpan body);

  // Set once dh_gen_ok has been produced (cleared by a new req_pq(_multi), the only message the
  // state machine accepts afterwards).
  const std::optional<ServerAuthKey>& result() const { return result_; }
  std::uint64_t fingerprint() const { return fingerprint_; }

 private:
  enum class State { kWaitPq, kWaitDhParams, kWaitClientDh, kDone, kFailed };

  ServerAction on_req_pq(const Int128& nonce);
  ServerAction on_req_dh_params(ByteSpan body);
  ServerAction on_set_client_dh_params(ByteSpan body);
  ServerAction reject(std::string reason);

  crypto::RsaPrivateKey key_;
  std::uint64_t fingerprint_;
  ServerHandshakeOptions options_;
  crypto::DhGroup group_;
  State state_ = State::kWaitPq;

  Int128 nonce_{};
  Int128 server_nonce_{};
  Int256 new_nonce_{};
  Bytes pq_, p_, q_;
  Bytes a_;     // our DH secret
  Bytes g_a_;
  std::int32_t server_time_ = 0;
  std::int32_t client_dc_ = 0;
  std::optional<std::int32_t> expires_in_;
  bool legacy_rsa_ = false;
  // retry_id the next set_client_DH_params must carry: 0 first, then the refused key's aux hash.
  std::uint64_t expected_retry_id_ = 0;
  std::optional<ServerAuthKey> result_;
};

}  // namespace mtp::auth
