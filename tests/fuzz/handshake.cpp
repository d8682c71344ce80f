// The client's auth-key handshake fed server answers, one record each (fuzz_support.hpp), with a
// seeded random source and a trusted key of our own (fuzz_rsa_key.hpp), so every run draws the
// same nonces. Byte 0:
//   bit 0: patch nonces: the harness writes its nonce (and the server_nonce of resPQ) over bytes
//          4..36 of each answer, where every handshake answer keeps them, so mutated answers get
//          past the echo checks;
//   bit 1: seal: the second record is a plaintext server_DH_inner_data that the harness encrypts
//          as server_DH_params_ok with the keys of its own new_nonce, so the DH checks behind the
//          answer's SHA1 (prime, g, g_a) see fuzzed values.
#include <cstring>
#include <vector>

#include "crypto/handshake_kdf.hpp"
#include "fuzz_support.hpp"
#include "handshake_client.hpp"
#include "tl/mtproto.hpp"

using namespace mtp;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const bool patch = data[0] & 1, seal = data[0] & 2;
  tgget::fuzz::HandshakeClient h;
  auth::ClientHandshake& client = h.client;
  client.first_message();
  const Bytes nonce = h.nonce();
  Bytes server_nonce(16);
  tgget::fuzz::Records records(ByteSpan(data + 1, size - 1));
  for (int i = 0; auto record = records.next(); ++i) {
    Bytes body(record->begin(), record->end());
    if (patch && body.size() >= 20) std::memcpy(body.data() + 4, nonce.data(), 16);
    if (patch && body.size() >= 36 && i > 0) std::memcpy(body.data() + 20, server_nonce.data(), 16);
    if (i == 0 && body.size() >= 36) std::memcpy(server_nonce.data(), body.data() + 20, 16);
    if (seal && i == 1 && h.new_nonce()) {
      Int256 new_nonce;
      std::memcpy(new_nonce.data(), h.new_nonce()->data(), 32);
      Int128 sn;
      std::memcpy(sn.data(), server_nonce.data(), 16);
      tl::mt::server_DH_params_ok ok{.nonce = {}, .server_nonce = sn,
                                     .encrypted_answer = crypto::encrypt_with_hash(crypto::tmp_aes_key(new_nonce, sn), body, crypto::seeded_random(12))};
      std::memcpy(ok.nonce.data(), nonce.data(), 16);
      body = tl::serialize(ok);
    }
    auto action = client.on_message(body);
    if (!action || action->kind == auth::ClientAction::Kind::kDone) break;
  }
  return 0;
}
