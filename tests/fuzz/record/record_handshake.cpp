// Seeds for the handshake harness: runs the test DC's server handshake (auth::ServerHandshake, as
// tgget-testdc runs it, with the fuzz key) against the harness's own client, so every recorded
// answer matches the nonces the harness draws and a seed replays the whole handshake.
//   fuzz_record_handshake OUT_DIR
// Writes one seed per server behaviour (honest, dh_gen_retry, each HandshakeFault), in three
// forms: answers as sent (byte 0 = 0), with nonce patching (1), and sealed (3: the second record
// is the decrypted server_DH_inner_data).
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>

#include "auth/server_handshake.hpp"
#include "crypto/handshake_kdf.hpp"
#include "handshake_client.hpp"
#include "tl/mtproto.hpp"

using namespace mtp;

namespace {

void put_record(Bytes& out, ByteSpan body) {
  out.push_back(static_cast<std::uint8_t>(body.size()));
  out.push_back(static_cast<std::uint8_t>(body.size() >> 8));
  out.insert(out.end(), body.begin(), body.end());
}

// The plaintext server_DH_inner_data of a server_DH_params_ok, with new_nonce known.
Bytes decrypt_inner(ByteSpan answer, const Bytes& new_nonce) {
  auto ok = tl::parse<tl::mt::server_DH_params_ok>(answer);
  if (!ok) return {};
  Int256 nn;
  std::memcpy(nn.data(), new_nonce.data(), 32);
  auto payload = crypto::decrypt_with_hash(crypto::tmp_aes_key(nn, ok->server_nonce), ok->encrypted_answer);
  if (!payload) return {};
  auto length = crypto::find_hashed_length(*payload);
  return length ? Bytes(payload->body.begin(), payload->body.begin() + *length) : Bytes{};
}

void record(const std::string& dir, const std::string& name, auth::HandshakeFault fault, int busy_ids) {
  tgget::fuzz::HandshakeClient h;
  auth::ServerHandshake server(*crypto::RsaPrivateKey::from_pem(tgget::fuzz::kPrivateKeyPem),
                               {.random = crypto::seeded_random(21),
                                .clock = [] { return std::chrono::seconds(1'764'000'000); },
                                .key_id_free = [&busy_ids](std::uint64_t) { return busy_ids-- <= 0; },
                                .fault = fault});
  std::vector<Bytes> answers;
  Bytes sent = h.client.first_message();
  for (int step = 0; step < 8; ++step) {
    auth::ServerAction answer = server.on_message(sent);
    if (answer.kind != auth::ServerAction::Kind::kSend) break;
    answers.push_back(answer.body);
    auto action = h.client.on_message(answer.body);
    if (!action || action->kind == auth::ClientAction::Kind::kDone) break;
    sent = action->body;
  }
  for (std::uint8_t mode : {0, 1, 3}) {
    Bytes seed{mode};
    for (std::size_t i = 0; i < answers.size(); ++i) {
      put_record(seed, mode == 3 && i == 1 && h.new_nonce() ? decrypt_inner(answers[i], *h.new_nonce()) : answers[i]);
    }
    std::ofstream(dir + "/" + name + "-" + std::to_string(mode), std::ios::binary)
        .write(reinterpret_cast<const char*>(seed.data()), static_cast<std::streamsize>(seed.size()));
  }
  std::printf("%s: %zu answers, client %s\n", name.c_str(), answers.size(), h.client.done() ? "done" : "stopped");
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_record_handshake OUT_DIR\n");
    return 2;
  }
  record(argv[1], "ok", auth::HandshakeFault::kNone, 0);
  record(argv[1], "retry", auth::HandshakeFault::kNone, 1);
  record(argv[1], "unknown-fingerprint", auth::HandshakeFault::kUnknownFingerprint, 0);
  record(argv[1], "bad-dh-prime", auth::HandshakeFault::kBadDhPrime, 0);
  record(argv[1], "g-a-out-of-range", auth::HandshakeFault::kGaOutOfRange, 0);
  return 0;
}
