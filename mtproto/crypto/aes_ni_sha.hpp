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

// Decrypts like aes_ni::ige_decrypt(key, iv, in, out) and returns SHA256(prefix || plaintext).
// prefix.size() must be 0, 16, 32 or 48 (MTProto's msg_key uses the 32-byte auth key slice).
// in == out allowed. Precondition: sha_available().
Sha256Digest ige_decrypt_sha256(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                                ByteSpan prefix, ByteSpan in, MutableByteSpan out);

}  // namespace mtp::crypto::aes_ni
