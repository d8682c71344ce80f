#pragma once
// Key derivations of the auth-key handshake (core.telegram.org/mtproto/auth_key): the temporary
// AES key/iv from the nonces, the auth key's id and aux hash, new_nonce_hashN, the first server
// salt, and answer_with_hash (SHA1 + data + 0..15 random bytes, AES-256-IGE) which carries
// server_DH_inner_data and client_DH_inner_data.
#include <array>
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"
#include "crypto/hashed_payload.hpp"

namespace mtp::crypto {

struct TmpAesKey {
  std::array<std::uint8_t, 32> key;
  std::array<std::uint8_t, 32> iv;
};

// tmp_aes_key = SHA1(new_nonce + server_nonce) + SHA1(server_nonce + new_nonce)[0:12]
// tmp_aes_iv  = SHA1(server_nonce + new_nonce)[12:20] + SHA1(new_nonce + new_nonce) + new_nonce[0:4]
TmpAesKey tmp_aes_key(const Int256& new_nonce, const Int128& server_nonce);

// auth_key_id: SHA1(auth_key)[12:20] read as a little-endian int64 (its wire form is those 8 bytes).
std::uint64_t auth_key_id(ByteSpan auth_key);
// auth_key_aux_hash: SHA1(auth_key)[0:8] as a little-endian int64 (retry_id of dh_gen_retry).
std::uint64_t auth_key_aux_hash(ByteSpan auth_key);

// new_nonce_hashN = SHA1(new_nonce + byte N + auth_key_aux_hash)[4:20]; N = 1 ok, 2 retry, 3 fail.
Int128 new_nonce_hash(const Int256& new_nonce, std::uint8_t n, std::uint64_t aux_hash);

// Initial server salt = new_nonce[0:8] XOR server_nonce[0:8], as the little-endian int64 it is on the wire.
std::uint64_t initial_server_salt(const Int256& new_nonce, const Int128& server_nonce);

// answer_with_hash = SHA1(data) + data + 0..15 random bytes (to a multiple of 16), AES-256-IGE.
Bytes encrypt_with_hash(const TmpAesKey& key, ByteSpan data, const RandomSource& random);

// Decrypts and splits off the SHA1; the caller parses TL from body and confirms with
// matches(parsed_len, kAnswerMaxPadding). kErrSecurity when the size is not a multiple of 16 or too small.
inline constexpr std::size_t kAnswerMaxPadding = 15;
Result<HashedPayload> decrypt_with_hash(const TmpAesKey& key, ByteSpan encrypted);

// For callers that do not want to parse first: the data length whose SHA1 matches, trying every
// padding of 0..15 bytes, or nullopt.
std::optional<std::size_t> find_hashed_length(const HashedPayload& payload);

}  // namespace mtp::crypto
