#pragma once
// AES-256-IGE on AES-NI instructions, for the chained direction EVP cannot run fast.
//
// IGE decryption P_i = D(C_i ^ P_{i-1}) ^ C_{i-1} feeds every block's output into the next block's
// AES *decryption*; EVP has no mode with that shape, and one EVP call per 16-byte block costs more
// than the AES itself. Here the whole chain runs in registers. Compiled for AES-NI per function
// (no global -maes), so callers must check available() first; aes_ige.hpp does this dispatch.
#include <span>

#include "core/bytes.hpp"

namespace mtp::crypto::aes_ni {

// True when this CPU has AES-NI (checked once, at run time).
bool available();

// Same contract as aes_ige_encrypt/aes_ige_decrypt (sizes multiple of 16, in == out allowed).
// Precondition: available(); throws std::logic_error otherwise.
void ige_encrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv, ByteSpan in,
                 MutableByteSpan out);
void ige_decrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv, ByteSpan in,
                 MutableByteSpan out);

}  // namespace mtp::crypto::aes_ni
