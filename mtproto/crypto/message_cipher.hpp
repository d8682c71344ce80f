#pragma once
// MTProto 2.0 encrypted messages: auth_key_id (8) | msg_key (16) | AES-256-IGE(plaintext + padding).
// The plaintext is salt (8) | session_id (8) | msg_id (8) | seq_no (4) | message_data_length (4) |
// message_data | 12..1024 bytes of random padding, a multiple of 16 in total.
//
// Zero-copy by design: encryption happens in the caller's buffer, so a session can serialize its
// message straight to packet[24:], leave headroom *before* the packet for the transport's length
// prefix, and send the lot without another copy; decryption happens in the receive buffer and hands
// back views into it (a 1 MiB upload.file body is never copied here).
#include <array>
#include <cstdint>
#include <functional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/message_key.hpp"

namespace mtp::crypto {

inline constexpr std::size_t kEncryptedHeaderSize = 24;  // auth_key_id + msg_key
inline constexpr std::size_t kPlaintextHeaderSize = 32;  // salt .. message_data_length
inline constexpr std::size_t kMinPadding = 12;
inline constexpr std::size_t kMaxPadding = 1024;

// Padding the encryptor appends to a plaintext of n bytes: the least amount >= 12 that makes the
// total a multiple of 16 (12..27 bytes).
constexpr std::size_t message_padding(std::size_t n) { return kMinPadding + (16 - (n + kMinPadding) % 16) % 16; }
// Bytes an encrypted packet of an n-byte plaintext occupies on the wire (before transport framing).
constexpr std::size_t encrypted_message_size(std::size_t n) { return kEncryptedHeaderSize + n + message_padding(n); }

// A decrypted message: header fields plus views into the packet buffer it was decrypted in.
struct DecryptedMessage {
  std::int64_t salt = 0;
  std::int64_t session_id = 0;
  std::int64_t msg_id = 0;
  std::int32_t seq_no = 0;
  MutableByteSpan body;       // message_data (message_data_length bytes)
  MutableByteSpan plaintext;  // the whole decrypted part: header, body and padding
};

// The padded intermediate transport appends 0..15 random bytes after the encrypted message; this
// drops them (the encrypted part is always a multiple of 16).
MutableByteSpan strip_transport_padding(MutableByteSpan packet);

class MessageCipher {
 public:
  // Fills its argument with random bytes (same shape as crypto::RandomSource). Empty = RAND_bytes.
  using RandomFill = std::function<void(MutableByteSpan)>;
  // Which end of the connection this cipher sits on: a client encrypts with x = 0 and decrypts
  // with x = 8; a server the other way round.
  enum class Role { kClient, kServer };

  MessageCipher(AuthKeySpan auth_key, Role role, RandomFill random = {});
  ~MessageCipher();
  MessageCipher(const MessageCipher&) = default;
  MessageCipher& operator=(const MessageCipher&) = default;

  // The 8 wire bytes of the auth key id (SHA1(auth_key)[12:20]) and the same as a little-endian int64.
  std::span<const std::uint8_t, 8> auth_key_id_bytes() const { return auth_key_id_; }
  std::int64_t auth_key_id() const;

  // Encrypts a plaintext the caller has already written at packet[24 : 24 + plaintext_size]:
  // appends random padding, fills in auth_key_id and msg_key in front and encrypts in place.
  // packet.size() must be >= encrypted_message_size(plaintext_size). Returns the packet's first
  // encrypted_message_size(plaintext_size) bytes. Fails (kErrInvalidArgument) when the room is short.
  Result<MutableByteSpan> encrypt_in_place(MutableByteSpan packet, std::size_t plaintext_size) const;
  // Same for a plaintext held elsewhere (it may also sit exactly at out[24:]).
  Result<MutableByteSpan> encrypt(ByteSpan plaintext, MutableByteSpan out) const;

  // Decrypts a packet sent by the peer, in place. Every failure is kErrSecurity and the caller must
  // treat them alike (drop the connection); the packet bytes are unspecified afterwards.
  // Checks: size (>= 24 + 48, encrypted part % 16 == 0), auth_key_id, msg_key recomputed over the
  // decrypted bytes (constant-time compare), message_data_length % 4 == 0 and padding in 12..1024.
  Result<DecryptedMessage> decrypt_in_place(MutableByteSpan packet) const;

  // decrypt_in_place hashes inside the AES-NI decryption pass when the CPU has AES-NI and SHA-NI
  // (crypto/aes_ni_sha.hpp). This forces the portable two-pass path (aes_ige_decrypt, then EVP
  // SHA-256) instead: for tests and benchmarks; the results are identical.
  void use_portable_decrypt(bool on) { portable_decrypt_ = on; }

  Direction outgoing() const { return role_ == Role::kClient ? Direction::kClientToServer : Direction::kServerToClient; }
  Direction incoming() const { return role_ == Role::kClient ? Direction::kServerToClient : Direction::kClientToServer; }

 private:
  std::array<std::uint8_t, 256> auth_key_;
  std::array<std::uint8_t, 8> auth_key_id_;
  Role role_;
  RandomFill random_;
  bool portable_decrypt_ = false;
};

}  // namespace mtp::crypto
