#pragma once
// Shared pieces of the auth tests: the test server key, scripted randomness, an in-memory
// client <-> server run, and a hand-driven client that can speak what our client never sends
// (legacy RSA, p_q_inner_data without dc, temp keys) or lie on purpose.
#include <catch2/catch.hpp>

#include <deque>
#include <functional>
#include <optional>

#include "auth/client_handshake.hpp"
#include "auth/server_handshake.hpp"
#include "core/bytes.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa.hpp"
#include "tl/mtproto.hpp"

namespace mtp::auth::test {

// One 2048-bit key for the whole test binary (generation takes a while).
const crypto::RsaPrivateKey& server_key();

// A fixed wall clock (ns since the epoch).
session::WallClock fixed_clock(std::int64_t unix_seconds);

// Serves the given chunks in order; each request must ask for exactly the next chunk's size. A
// chunk without bytes ("wildcard") is filled from a seeded stream, and may repeat: RSA_PAD draws
// a new temp key while the previous one gives a value above the modulus.
class ScriptedRandom {
 public:
  struct Chunk {
    std::size_t size;
    std::optional<Bytes> bytes;
  };
  explicit ScriptedRandom(std::vector<Chunk> chunks);
  crypto::RandomSource source();
  bool exhausted() const { return state_->chunks.empty(); }

 private:
  struct State {
    std::deque<Chunk> chunks;
    std::optional<std::size_t> last_wildcard;
    crypto::RandomSource filler = crypto::seeded_random(99);
  };
  std::shared_ptr<State> state_;
};

// Runs a client against a server, message by message, until the client is done or either side
// fails. `tamper` may rewrite each message in flight (direction: true = client to server).
struct PairOutcome {
  std::optional<AuthKeyResult> client;
  std::optional<Error> client_error;
  std::optional<ServerAction> server_error;  // a transport error the server answered with
  int messages = 0;                          // bodies exchanged
};
using Tamper = std::function<void(bool to_server, int index, Bytes& body)>;
PairOutcome run_pair(ClientHandshake& client, ServerHandshake& server, const Tamper& tamper = {});

ClientHandshakeOptions client_options(std::uint64_t seed, std::int32_t dc = 2);
ServerHandshakeOptions server_options(std::uint64_t seed);

// new_nonce out of a req_DH_params body, recovered with the server's private key (RSA_PAD).
Int256 new_nonce_of(ByteSpan req_dh_params_body);

// Decrypts set_client_DH_params, lets `edit` change client_DH_inner_data and encrypts it again.
Bytes rewrite_client_dh(ByteSpan body, const Int256& new_nonce, const std::function<void(tl::mt::client_DH_inner_data&)>& edit);

// A server_DH_params_ok for the given inner data, encrypted as the server would.
Bytes make_server_dh_params_ok(const tl::mt::server_DH_inner_data& inner, const Int256& new_nonce);

// Hand-driven client: every step explicit, for the server's compatibility paths.
struct ManualClient {
  enum class Inner { kPlain, kDc, kTemp, kTempDc };
  enum class Rsa { kRsaPad, kLegacyTelethon };
  Inner inner = Inner::kDc;
  Rsa rsa = Rsa::kRsaPad;
  crypto::RandomSource random = crypto::seeded_random(5);

  // Runs the whole handshake against `server`; returns the key we computed (checked against the
  // server's new_nonce_hash1).
  Bytes run(ServerHandshake& server);
};

// Telethon 1.x's rsa.encrypt: SHA1(data) + data + random to 255 bytes, then raw RSA (written out
// here rather than calling crypto::legacy_rsa_encrypt, so the test does not check code with itself).
Bytes telethon_rsa_encrypt(const crypto::RsaPublicKey& key, ByteSpan data, const crypto::RandomSource& random);

}  // namespace mtp::auth::test
