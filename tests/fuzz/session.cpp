// The client session fed decrypted server messages: each record (fuzz_support.hpp) is
// msg_id (8) | seq_no (4) | body, sealed by the harness with the fixed auth key and the session's
// own id, so the fuzzer works on what ClientSession parses (containers, acks, bad_server_salt,
// bad_msg_notification, new_session_created, rpc_result, gzip_packed, future_salts...) rather
// than on AES. Server messages refer to client msg_ids the fuzzer cannot know: any 8 bytes
// "MSGID#" k x in a record become the k-th latest msg_id the client sent. An empty record, or a
// packet the session refuses, is a lost connection (the driver carries on with the same session).
#include <algorithm>
#include <cstring>
#include <deque>

#include "crypto/random.hpp"
#include "fuzz_support.hpp"
#include "session/client_session.hpp"
#include "tl/container.hpp"

using namespace mtp;
using SteadyTime = session::ClientSession::SteadyTime;

namespace {

constexpr std::int64_t kSessionId = 0x5e55105e55105e55;
const crypto::AuthKeySpan kKey(tgget::fuzz::fixed_auth_key(), 256);

// Sends whatever the session wants to, remembering the msg_ids it used (read back as the server).
void flush(session::ClientSession& s, SteadyTime now, std::deque<std::int64_t>& sent) {
  static const crypto::MessageCipher server(kKey, crypto::MessageCipher::Role::kServer);
  for (int i = 0; i < 8; ++i) {
    auto frame = s.next_packet(now);
    TGGET_FUZZ_CHECK(frame.ok());
    if (!*frame) return;
    auto m = server.decrypt_in_place((*frame)->payload());
    TGGET_FUZZ_CHECK(m.ok());
    sent.push_front(m->msg_id);
    if (auto inner = tl::parse_container(m->body)) for (const auto& v : *inner) sent.push_front(v.msg_id);
    sent.resize(std::min<std::size_t>(sent.size(), 16));
  }
}

Bytes seal(ByteSpan record, const std::deque<std::int64_t>& sent) {
  static const crypto::MessageCipher server(kKey, crypto::MessageCipher::Role::kServer,
                                            crypto::seeded_random(3));
  Bytes plain(32 + record.size() - 12);
  std::memcpy(plain.data() + 16, record.data(), 12);  // msg_id, seq_no
  std::memcpy(plain.data() + 8, &kSessionId, 8);
  const auto length = static_cast<std::uint32_t>(record.size() - 12);
  std::memcpy(plain.data() + 28, &length, 4);
  std::copy(record.begin() + 12, record.end(), plain.begin() + 32);
  for (std::size_t at = 32; at + 8 <= plain.size() && !sent.empty(); ++at) {
    if (std::memcmp(plain.data() + at, "MSGID#", 6) == 0) {
      std::memcpy(plain.data() + at, &sent[plain[at + 6] % sent.size()], 8);
      at += 7;
    }
  }
  Bytes packet(crypto::encrypted_message_size(plain.size()));
  TGGET_FUZZ_CHECK(server.encrypt(plain, packet).ok());
  return packet;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  session::SessionOptions options;
  options.initial_salt = 0x5a17;
  options.clock = [] { return std::chrono::seconds(1'764'000'000); };
  options.random = crypto::seeded_random(5);
  options.session_id = kSessionId;
  options.max_inflated = 1 << 20;
  session::ClientSession s(kKey, options);
  SteadyTime now{};
  std::deque<std::int64_t> sent;
  for (int i = 0; i < 3; ++i) s.enqueue({0x01, 0x02, 0x03, static_cast<std::uint8_t>(i)});
  flush(s, now, sent);
  tgget::fuzz::Records records(ByteSpan(data, size));
  for (int n = 0; auto record = records.next(); ++n) {
    now += std::chrono::milliseconds(100);
    bool lost = record->size() < 12;
    if (!lost) {
      Bytes packet = seal(*record, sent);
      auto incoming = s.on_packet(packet, now);
      lost = !incoming;
      if (incoming) {
        for (const auto& a : incoming->answers) if (a.body) tgget::fuzz::touch(*a.body);
        for (ByteSpan u : incoming->updates) tgget::fuzz::touch(u);
      }
    }
    if (lost) s.on_connection_lost();
    if (n % 4 == 0) s.enqueue({0x05, 0x06, 0x07, static_cast<std::uint8_t>(n)});
    flush(s, now, sent);
  }
  return 0;
}
