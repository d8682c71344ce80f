#pragma once
// The client role of auth-key creation (core.telegram.org/mtproto/auth_key) as a sans-io state
// machine: it is fed the bodies of the server's plain messages and can only ask for a body to be
// sent or report the finished key. The caller owns envelopes (plain_message.hpp), msg_ids,
// transport and timeouts (client_handshake_driver.hpp does all of that over a Connection).
//
// Every client-side check of core.telegram.org/mtproto/security_guidelines is made here: nonce and
// server_nonce echoed in every answer, a trusted RSA fingerprint, pq factorised into two primes,
// answer SHA1, DH prime known or a full safe-prime check, g valid for p, g_a and g_b in the safe
// range, new_nonce_hash1/2/3, and a bounded number of dh_gen_retry rounds.
#include <cstdint>
#include <optional>
#include <vector>

#include "auth/auth_key.hpp"
#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/dh.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa.hpp"
#include "session/message_id.hpp"

namespace mtp::auth {

struct ClientHandshakeOptions {
  // p_q_inner_data_dc.dc: the DC id, +10000 for test DCs, negative for media-only DCs.
  std::int32_t dc_id = 0;
  // Keys we accept; the server's first offered fingerprint among them is used.
  std::vector<crypto::RsaPublicKey> trusted_keys;
  crypto::RandomSource random;  // system_random() when empty
  session::WallClock clock;     // system_wall_clock() when empty
  int max_retries = 5;          // dh_gen_retry rounds before giving up
  // Set: a temporary key (PFS, core.telegram.org/api/pfs) valid this many seconds, requested with
  // p_q_inner_data_temp_dc; binding it to a permanent key is the session layer's business.
  std::optional<std::int32_t> temp_key_expires_in;
};

struct ClientAction {
  enum class Kind { kSend, kDone };
  Kind kind = Kind::kSend;
  Bytes body;                          // kSend: a TL body to send in a plain message
  std::optional<AuthKeyResult> result;  // kDone

  static ClientAction send(Bytes body) { return {Kind::kSend, std::move(body), std::nullopt}; }
  static ClientAction done(AuthKeyResult result) { return {Kind::kDone, {}, std::move(result)}; }
};

class ClientHandshake {
 public:
  explicit ClientHandshake(ClientHandshakeOptions options);

  // req_pq_multi with a fresh nonce. Calling it again restarts the handshake.
  Bytes first_message();

  // The body of the next server message. Errors (the handshake is then over; only
  // first_message() starts again):
  //   kErrSecurity: HANDSHAKE_NONCE_MISMATCH, HANDSHAKE_UNKNOWN_FINGERPRINT (detail lists what the
  //     server offered), BAD_PQ, HANDSHAKE_BAD_ANSWER_HASH, DH_PRIME_INVALID / DH_G_INVALID / DH_VALUE_OUT_OF_RANGE, HANDSHAKE_BAD_NEW_NONCE_HASH,
  //     HANDSHAKE_DH_PARAMS_FAIL, HANDSHAKE_DH_GEN_FAIL, HANDSHAKE_TOO_MANY_RETRIES
  //   kErrMalformed: TL errors, HANDSHAKE_UNEXPECTED (a constructor this step does not expect)
  //   kErrInternal: HANDSHAKE_STATE (called before first_message() or after the end)
  Result<ClientAction> on_message(ByteSpan body);

  bool done() const { return state_ == State::kDone; }

 private:
  enum class State { kIdle, kWaitResPq, kWaitDhParams, kWaitDhGen, kDone, kFailed };

  Result<ClientAction> on_res_pq(ByteSpan body);
  Result<ClientAction> on_server_dh_params(ByteSpan body);
  Result<ClientAction> on_dh_gen(ByteSpan body);
  // client_DH_inner_data with a fresh b, encrypted; also computes the candidate auth key.
  Result<Bytes> make_set_client_dh_params(std::uint64_t retry_id);
  Status check_nonces(const Int128& nonce, const Int128& server_nonce) const;

  ClientHandshakeOptions options_;
  State state_ = State::kIdle;
  Int128 nonce_{};
  Int128 server_nonce_{};
  Int256 new_nonce_{};
  std::optional<crypto::DhGroup> group_;
  Bytes g_a_;
  Bytes auth_key_;  // candidate of the current set_client_DH_params round
  std::uint64_t aux_hash_ = 0;
  int retries_ = 0;
  std::chrono::nanoseconds server_time_offset_{0};
};

}  // namespace mtp::auth
