// The encrypted-message decoder with a fixed auth key (server to client).
//   byte 0 even: the rest is a packet as it comes off the wire (size, auth_key_id, msg_key checks)
//   byte 0 odd:  the rest is a plaintext (salt, session_id, msg_id, seq_no, length, body,
//                padding; cut to a multiple of 16) that the harness seals with the right msg_key,
//                so the length and padding checks behind the msg_key see fuzzed values.
// Both decryption paths run on each packet (AES-NI with the fused SHA-256, and the portable one)
// and must agree on the outcome and the bytes.
#include <cstring>

#include "crypto/aes_ige.hpp"
#include "crypto/message_cipher.hpp"
#include "fuzz_support.hpp"

using namespace mtp::crypto;

namespace {

mtp::Bytes seal(const MessageCipher& server, mtp::ByteSpan plaintext) {
  const AuthKeySpan key(tgget::fuzz::fixed_auth_key(), 256);
  mtp::Bytes packet(kEncryptedHeaderSize + plaintext.size() / 16 * 16);
  std::memcpy(packet.data() + kEncryptedHeaderSize, plaintext.data(), packet.size() - kEncryptedHeaderSize);
  mtp::MutableByteSpan body = mtp::MutableByteSpan(packet).subspan(kEncryptedHeaderSize);
  const mtp::Int128 msg_key = compute_msg_key(key, body, Direction::kServerToClient);
  const MessageAesKey aes = derive_message_aes_key(key, msg_key, Direction::kServerToClient);
  aes_ige_encrypt(aes.key, aes.iv, body, body);
  std::memcpy(packet.data(), server.auth_key_id_bytes().data(), 8);
  std::memcpy(packet.data() + 8, msg_key.data(), 16);
  return packet;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 1) return 0;
  const AuthKeySpan key(tgget::fuzz::fixed_auth_key(), 256);
  static const MessageCipher server(key, MessageCipher::Role::kServer);
  static MessageCipher fast(key, MessageCipher::Role::kClient);
  static MessageCipher portable = [&] {
    MessageCipher c(key, MessageCipher::Role::kClient);
    c.use_portable_decrypt(true);
    return c;
  }();
  const mtp::ByteSpan rest(data + 1, size - 1);
  mtp::Bytes a = (data[0] & 1) ? seal(server, rest) : mtp::Bytes(rest.begin(), rest.end());
  mtp::Bytes b = a;
  auto x = fast.decrypt_in_place(strip_transport_padding(a));
  auto y = portable.decrypt_in_place(strip_transport_padding(b));
  TGGET_FUZZ_CHECK(x.ok() == y.ok());
  if ((data[0] & 1) && a.size() >= kEncryptedHeaderSize + 48) {
    // A sealed packet is refused exactly when its own length field or padding is wrong.
    const std::size_t room = a.size() - kEncryptedHeaderSize - kPlaintextHeaderSize;
    const std::size_t length = rest[28] | rest[29] << 8 | rest[30] << 16 | std::size_t{rest[31]} << 24;
    const bool valid = length % 4 == 0 && length <= room && room - length >= kMinPadding && room - length <= kMaxPadding;
    TGGET_FUZZ_CHECK(x.ok() == valid);
  }
  if (!x) {
    TGGET_FUZZ_CHECK(x.error().type == y.error().type);
    return 0;
  }
  TGGET_FUZZ_CHECK(x->msg_id == y->msg_id && x->seq_no == y->seq_no && x->salt == y->salt);
  TGGET_FUZZ_CHECK(std::equal(x->body.begin(), x->body.end(), y->body.begin(), y->body.end()));
  TGGET_FUZZ_CHECK(x->body.data() + x->body.size() + kMinPadding <= a.data() + a.size());
  return 0;
}
