#pragma once
// AES-256-IGE as MTProto uses it. iv is 32 bytes: iv[0:16] stands for the "previous ciphertext"
// block and iv[16:32] for the "previous plaintext" block (OpenSSL's convention).
// Sizes must be multiples of 16; in and out may be the same buffer (in-place).
#include <span>

#include "core/bytes.hpp"

namespace mtp::crypto {

void aes_ige_encrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                     ByteSpan in, MutableByteSpan out);
void aes_ige_decrypt(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                     ByteSpan in, MutableByteSpan out);

// Encryption as one EVP AES-256-CBC stream (see aes_ige.cpp): the fast path on CPUs without AES-NI.
void aes_ige_encrypt_cbc_mapped(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                                ByteSpan in, MutableByteSpan out);

// Whether aes_ige_encrypt/aes_ige_decrypt run on the AES-NI chain (crypto/aes_ni.hpp) on this CPU.
bool aes_ige_uses_aes_ni();

// Reference implementations, one EVP call per 16-byte block: slow, obviously correct.
// Tests check the fast paths against them.
void aes_ige_encrypt_reference(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                               ByteSpan in, MutableByteSpan out);
void aes_ige_decrypt_reference(std::span<const std::uint8_t, 32> key, std::span<const std::uint8_t, 32> iv,
                               ByteSpan in, MutableByteSpan out);

}  // namespace mtp::crypto
