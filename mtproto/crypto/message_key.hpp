#pragma once
// MTProto 2.0 message keys (core.telegram.org/mtproto/description, "Defining AES Key and
// Initialization Vector"): msg_key from the padded plaintext, then aes_key/aes_iv from msg_key.
// The auth key slices depend on who sent the message: x = 0 client→server, x = 8 server→client.
#include <cstdint>
#include <span>

#include "core/bytes.hpp"

namespace mtp::crypto {

using AuthKeySpan = std::span<const std::uint8_t, 256>;

// Who sent the message; the value is the x of the key derivation.
enum class Direction : std::uint8_t { kClientToServer = 0, kServerToClient = 8 };

struct MessageAesKey {
  Int256 key;
  Int256 iv;  // IGE iv in aes_ige.hpp's layout
};

// msg_key = SHA256(auth_key[88+x : 120+x] + plaintext_with_padding)[8:24].
Int128 compute_msg_key(AuthKeySpan auth_key, ByteSpan plaintext_with_padding, Direction direction);

// sha256_a = SHA256(msg_key + auth_key[x : x+36]); sha256_b = SHA256(auth_key[40+x : 76+x] + msg_key);
// aes_key = a[0:8] + b[8:24] + a[24:32]; aes_iv = b[0:8] + a[8:24] + b[24:32].
MessageAesKey derive_message_aes_key(AuthKeySpan auth_key, std::span<const std::uint8_t, 16> msg_key,
                                     Direction direction);

}  // namespace mtp::crypto
