#include "crypto/rsa_pad.hpp"

#include <openssl/crypto.h>

#include <algorithm>

#include "crypto/aes_ige.hpp"

namespace mtp::crypto {
namespace {

constexpr std::size_t kModulusSize = 256;
constexpr std::size_t kHashedSize = kRsaPadPaddedSize + 32;  // data_pad_reversed + SHA256

Error pad_error(int code, std::string detail) { return Error::local(code, "RSA_PAD", std::move(detail)); }

constexpr std::array<std::uint8_t, 32> kZeroIv{};

}  // namespace

Result<Bytes> rsa_pad_encrypt(const RsaPublicKey& key, ByteSpan data, const RandomSource& random) {
  if (data.size() > kRsaPadMaxData) return pad_error(kErrInvalidArgument, "data longer than 144 bytes");
  if (key.size() != kModulusSize) return pad_error(kErrInvalidArgument, "RSA_PAD needs a 2048-bit key");

  std::array<std::uint8_t, kRsaPadPaddedSize> data_with_padding{};
  std::copy(data.begin(), data.end(), data_with_padding.begin());
  random(MutableByteSpan(data_with_padding).subspan(data.size()));

  for (;;) {
    std::array<std::uint8_t, 32> temp_key;
    random(temp_key);
    std::array<std::uint8_t, kHashedSize> data_with_hash;
    std::reverse_copy(data_with_padding.begin(), data_with_padding.end(), data_with_hash.begin());
    Sha256Digest binding = sha256({temp_key, data_with_padding});
    std::copy(binding.begin(), binding.end(), data_with_hash.begin() + kRsaPadPaddedSize);

    Bytes key_aes_encrypted(kModulusSize);
    MutableByteSpan aes_encrypted = MutableByteSpan(key_aes_encrypted).subspan(32);
    aes_ige_encrypt(temp_key, kZeroIv, data_with_hash, aes_encrypted);
    Sha256Digest mask = sha256(ByteSpan(aes_encrypted));
    for (std::size_t i = 0; i < 32; ++i) key_aes_encrypted[i] = temp_key[i] ^ mask[i];

    // A value at or above the modulus would not survive RSA; the protocol says: new temp_key, again.
    auto encrypted = rsa_encrypt_raw(key, key_aes_encrypted);
    if (encrypted) return encrypted;
    if (encrypted.error().code != kErrInvalidArgument) return encrypted;
  }
}

Result<Bytes> rsa_decrypt_handshake(const RsaPrivateKey& key, ByteSpan encrypted_data) {
  return key.decrypt_raw(encrypted_data);
}

Result<std::array<std::uint8_t, kRsaPadPaddedSize>> rsa_pad_unwrap(ByteSpan key_aes_encrypted) {
  if (key_aes_encrypted.size() != kModulusSize) return pad_error(kErrSecurity, "RSA plaintext is not 256 bytes");
  ByteSpan temp_key_xor = key_aes_encrypted.first(32);
  ByteSpan aes_encrypted = key_aes_encrypted.subspan(32);
  Sha256Digest mask = sha256(aes_encrypted);
  std::array<std::uint8_t, 32> temp_key;
  for (std::size_t i = 0; i < 32; ++i) temp_key[i] = temp_key_xor[i] ^ mask[i];

  std::array<std::uint8_t, kHashedSize> data_with_hash;
  aes_ige_decrypt(temp_key, kZeroIv, aes_encrypted, data_with_hash);
  std::array<std::uint8_t, kRsaPadPaddedSize> data_with_padding;
  std::reverse_copy(data_with_hash.begin(), data_with_hash.begin() + kRsaPadPaddedSize, data_with_padding.begin());
  Sha256Digest expected = sha256({temp_key, data_with_padding});
  if (CRYPTO_memcmp(expected.data(), data_with_hash.data() + kRsaPadPaddedSize, expected.size()) != 0) {
    return pad_error(kErrSecurity, "RSA_PAD hash mismatch");
  }
  return data_with_padding;
}

Result<Bytes> legacy_rsa_encrypt(const RsaPublicKey& key, ByteSpan data, const RandomSource& random) {
  if (data.size() > kLegacyRsaMaxData) return pad_error(kErrInvalidArgument, "data longer than 235 bytes");
  if (key.size() != kModulusSize) return pad_error(kErrInvalidArgument, "legacy RSA needs a 2048-bit key");
  // 255 bytes: always below a 2048-bit modulus, whose top byte is nonzero.
  Bytes message(255);
  Sha1Digest hash = sha1(data);
  std::copy(hash.begin(), hash.end(), message.begin());
  std::copy(data.begin(), data.end(), message.begin() + 20);
  random(MutableByteSpan(message).subspan(20 + data.size()));
  return rsa_encrypt_raw(key, message);
}

Result<HashedPayload> legacy_rsa_unwrap(ByteSpan raw_plaintext) {
  if (raw_plaintext.size() != kModulusSize || raw_plaintext[0] != 0) {
    return pad_error(kErrSecurity, "not a legacy 255-byte RSA message");
  }
  HashedPayload out;
  std::copy_n(raw_plaintext.begin() + 1, 20, out.hash.begin());
  out.body.assign(raw_plaintext.begin() + 21, raw_plaintext.end());
  return out;
}

}  // namespace mtp::crypto
