#pragma once
// One-pass MTProto receive: AES-256-IGE decryption fused with the SHA-256 that recomputes msg_key.
//
// The IGE chain is latency-bound: each block waits for the previous block's 14 AES rounds, leaving
// the core's other ports idle. SHA-256 on SHA-NI is an independent chain. Run back to back they cost
// the sum of both; here each 64-byte SHA block is hashed, in 16 slices of 4 rounds, between the AES
// rounds of the next 4 blocks, so the out-of-order core runs both chains at once and the msg_key
// hash comes nearly free (crypto_bench: fused ~= IGE alone). EVP cannot be interleaved at that
// grain, hence this SHA-NI SHA-256.
#include <span>

#include "core/bytes.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto::aes_ni {

// True when this CPU has AES-NI, SHA-NI and SSSE3/SSE4.1 (checked once, at run time).
bool sha_available();

// SHA-256 on SHA-NI. Precondition: sha_available() (throws std::logic_error otherwise).
Sha256Digest sha256(ByteSpan data);

// Compresses `blocks` 64-byte blocks of `data` into the SHA-256 state `h` (h0..h7, FIPS 180-4
// order). Precondition: sha_available().
void sha256_blocks(std::uint32_t h[8], const std::uint8_t* data, std::size_t blocks);
// The same blocks into two states at once (a window digest and the whole file's): the message
// schedule is computed once and the two round chains interleave, which the out-of-order core runs
// side by side, so two digests cost little more than one. Precondition: sha_available().
void sha256_blocks_2x(std::uint32_t ha[8], std::uint32_t hb[8], const std::uint8_t* data, std::size_t blocks);

// Decrypts like aes_ni::ige_decrypt(key, iv, in, out) and returns SHA256(prefix || plaintext).
// prefix.size() must be 0, 16, 32 or 48 (MTProto's msg_key uses the 32-byte auth key slice).
// in == out allowed. Precondition: sha_available().
Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                                ByteSpan prefix, ByteSpan in, MutableByteSpan out);

}  // namespace mtp::crypto::aes_ni
