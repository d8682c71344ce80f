#pragma once
// Encryption of the handshake's p_q_inner_data (req_DH_params.encrypted_data), both schemes:
//  - RSA_PAD (current, core.telegram.org/mtproto/auth_key step 4): data <= 144 bytes, random padding
//    to 192, reversed, SHA-256 binding to a random temp key, AES-256-IGE, raw RSA.
//  - legacy: SHA1(data) + data + random padding to 255 bytes, raw RSA. Telethon 1.x and GramJS still
//    send it, so the test DC accepts it too.
// The server tries RSA_PAD first and falls back to legacy on the same raw RSA plaintext.
#include <array>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "crypto/rsa.hpp"
#include "crypto/hashed_payload.hpp"

namespace mtp::crypto {

inline constexpr std::size_t kRsaPadMaxData = 144;
inline constexpr std::size_t kRsaPadPaddedSize = 192;
inline constexpr std::size_t kLegacyRsaMaxData = 255 - 20;

// Client: the 256-byte encrypted_data for a 2048-bit key. kErrInvalidArgument when data is longer
// than 144 bytes or the key is not 2048-bit.
Result<Bytes> rsa_pad_encrypt(const RsaPublicKey& key, ByteSpan data, const RandomSource& random);

// Server, step 1 of 2: raw RSA decryption (c^d mod n, 256 bytes). Feed the result to
// rsa_pad_unwrap and, if that fails, to legacy_rsa_unwrap.
Result<Bytes> rsa_decrypt_handshake(const RsaPrivateKey& key, ByteSpan encrypted_data);

// Server, RSA_PAD: undoes the steps on the raw plaintext (key_aes_encrypted) and checks the SHA-256.
// Returns data_with_padding (192 bytes: the TL data, then the client's random padding).
Result<std::array<std::uint8_t, kRsaPadPaddedSize>> rsa_pad_unwrap(ByteSpan key_aes_encrypted);

// Client, legacy scheme: raw RSA of SHA1(data) + data + random padding (255 bytes in total).
Result<Bytes> legacy_rsa_encrypt(const RsaPublicKey& key, ByteSpan data, const RandomSource& random);

// Server, legacy: the raw 256-byte plaintext must start with a zero byte (255-byte message);
// returns SHA1 and the 235 bytes after it. Check with matches(parsed_len, kLegacyRsaMaxData).
Result<HashedPayload> legacy_rsa_unwrap(ByteSpan raw_plaintext);

}  // namespace mtp::crypto
