#include "crypto/message_cipher.hpp"

#include <openssl/crypto.h>
#include <openssl/rand.h>

#include <cstring>
#include <string>

#include "crypto/aes_ige.hpp"
#include "crypto/aes_ni_sha.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto {
namespace {

// Smallest valid encrypted part: the 32-byte header, no body, at least 12 bytes of padding -> 48.
constexpr std::size_t kMinEncryptedPart = 48;

std::uint64_t load_le64(const std::uint8_t* p) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i) v = v << 8 | p[i];
  return v;
}

std::uint32_t load_le32(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 | std::uint32_t{p[3]} << 24;
}

Error security_error(std::string type, std::string detail) {
  return Error::local(kErrSecurity, std::move(type), std::move(detail));
}

}  // namespace

MutableByteSpan strip_transport_padding(MutableByteSpan packet) {
  if (packet.size() < kEncryptedHeaderSize) return packet;
  const std::size_t encrypted = (packet.size() - kEncryptedHeaderSize) / 16 * 16;
  return packet.first(kEncryptedHeaderSize + encrypted);
}

MessageCipher::MessageCipher(AuthKeySpan auth_key, Role role, RandomFill random)
    : role_(role), random_(std::move(random)) {
  std::memcpy(auth_key_.data(), auth_key.data(), auth_key_.size());
  const Sha1Digest digest = sha1(auth_key);
  std::memcpy(auth_key_id_.data(), digest.data() + 12, auth_key_id_.size());
}

MessageCipher::~MessageCipher() { OPENSSL_cleanse(auth_key_.data(), auth_key_.size()); }

std::int64_t MessageCipher::auth_key_id() const {
  return static_cast<std::int64_t>(load_le64(auth_key_id_.data()));
}

Result<MutableByteSpan> MessageCipher::encrypt_in_place(MutableByteSpan packet, std::size_t plaintext_size) const {
  const std::size_t total = encrypted_message_size(plaintext_size);
  if (packet.size() < total) {
    return Error::local(kErrInvalidArgument, "BUFFER_TOO_SMALL",
                        "encrypt needs " + std::to_string(total) + " bytes, got " + std::to_string(packet.size()));
  }
  MutableByteSpan encrypted = packet.subspan(kEncryptedHeaderSize, total - kEncryptedHeaderSize);
  MutableByteSpan padding = encrypted.subspan(plaintext_size);
  if (random_) {
    random_(padding);
  } else if (RAND_bytes(padding.data(), static_cast<int>(padding.size())) != 1) {
    return Error::local(kErrInternal, "RANDOM_FAILED", "RAND_bytes failed for message padding");
  }

  const Direction direction = outgoing();
  const Int128 msg_key = compute_msg_key(auth_key_, encrypted, direction);
  std::memcpy(packet.data(), auth_key_id_.data(), auth_key_id_.size());
  std::memcpy(packet.data() + 8, msg_key.data(), msg_key.size());
  MessageAesKey aes = derive_message_aes_key(auth_key_, msg_key, direction);
  aes_ige_encrypt(aes.key, aes.iv, encrypted, encrypted);
  OPENSSL_cleanse(&aes, sizeof aes);
  return packet.first(total);
}

Result<MutableByteSpan> MessageCipher::encrypt(ByteSpan plaintext, MutableByteSpan out) const {
  if (out.size() < encrypted_message_size(plaintext.size())) {
    return Error::local(kErrInvalidArgument, "BUFFER_TOO_SMALL", "encrypt output buffer too small");
  }
  // memmove: the plaintext may already overlap the destination.
  if (!plaintext.empty()) std::memmove(out.data() + kEncryptedHeaderSize, plaintext.data(), plaintext.size());
  return encrypt_in_place(out, plaintext.size());
}

Result<DecryptedMessage> MessageCipher::decrypt_in_place(MutableByteSpan packet) const {
  if (packet.size() < kEncryptedHeaderSize + kMinEncryptedPart || (packet.size() - kEncryptedHeaderSize) % 16 != 0) {
    return security_error("BAD_PACKET_SIZE", "encrypted packet of " + std::to_string(packet.size()) + " bytes");
  }
  if (std::memcmp(packet.data(), auth_key_id_.data(), auth_key_id_.size()) != 0) {
    return security_error("AUTH_KEY_ID_MISMATCH", "packet is for another auth key");
  }
  const Direction direction = incoming();
  std::span<const std::uint8_t, 16> msg_key(packet.data() + 8, 16);
  MutableByteSpan plaintext = packet.subspan(kEncryptedHeaderSize);
  MessageAesKey aes = derive_message_aes_key(auth_key_, msg_key, direction);
  // The msg_key is recomputed over the whole decrypted part whatever the header says, and every
  // check is evaluated before any is reported, so a forged packet learns nothing from timing about
  // which one failed. With SHA-NI the hash runs inside the decryption pass (aes_ni_sha.hpp).
  Int128 expected;
  if (!portable_decrypt_ && aes_ni::sha_available()) {
    const std::size_t x = static_cast<std::size_t>(direction);
    const Sha256Digest large = aes_ni::ige_decrypt_sha256(aes.key, aes.iv, ByteSpan(auth_key_).subspan(88 + x, 32),
                                                          plaintext, plaintext);
    std::memcpy(expected.data(), large.data() + 8, expected.size());
  } else {
    aes_ige_decrypt(aes.key, aes.iv, plaintext, plaintext);
    expected = compute_msg_key(auth_key_, plaintext, direction);
  }
  OPENSSL_cleanse(&aes, sizeof aes);
  const bool key_ok = CRYPTO_memcmp(expected.data(), msg_key.data(), expected.size()) == 0;
  const std::size_t length = load_le32(plaintext.data() + 28);
  const std::size_t room = plaintext.size() - kPlaintextHeaderSize;
  const bool length_ok = length <= room && length % 4 == 0;
  const std::size_t padding = length_ok ? room - length : 0;
  const bool padding_ok = padding >= kMinPadding && padding <= kMaxPadding;

  if (!key_ok) return security_error("MSG_KEY_MISMATCH", "msg_key does not match the decrypted message");
  if (!length_ok) {
    return security_error("BAD_MESSAGE_LENGTH", "message_data_length " + std::to_string(length) + " with " +
                                                    std::to_string(room) + " bytes available");
  }
  if (!padding_ok) return security_error("BAD_PADDING", "padding of " + std::to_string(padding) + " bytes");

  DecryptedMessage msg;
  msg.salt = static_cast<std::int64_t>(load_le64(plaintext.data()));
  msg.session_id = static_cast<std::int64_t>(load_le64(plaintext.data() + 8));
  msg.msg_id = static_cast<std::int64_t>(load_le64(plaintext.data() + 16));
  msg.seq_no = static_cast<std::int32_t>(load_le32(plaintext.data() + 24));
  msg.body = plaintext.subspan(kPlaintextHeaderSize, length);
  msg.plaintext = plaintext;
  return msg;
}

}  // namespace mtp::crypto
