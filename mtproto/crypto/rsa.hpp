#pragma once
// RSA as MTProto uses it: raw (unpadded) modular exponentiation with 2048-bit keys. The client
// holds public keys (built in, or the test DC's PEM) and picks one by Telegram fingerprint; the
// test DC holds a private key and decrypts.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mtp::crypto {

struct RsaPublicKey {
  Bytes n;  // modulus, minimal big-endian
  Bytes e;  // public exponent, minimal big-endian

  // Telegram's key fingerprint: the low 64 bits of SHA1(TL rsa_public_key n:bytes e:bytes),
  // i.e. the last 8 bytes of the digest read as a little-endian integer.
  std::uint64_t fingerprint() const;
  // Modulus size in bytes (256 for Telegram's keys).
  std::size_t size() const { return n.size(); }
};

// Accepts "BEGIN RSA PUBLIC KEY" (PKCS#1) and "BEGIN PUBLIC KEY" (SubjectPublicKeyInfo) PEM.
Result<RsaPublicKey> parse_rsa_public_key_pem(std::string_view pem);

// Raw RSA: m^e mod n as exactly size() big-endian bytes. kErrInvalidArgument if m >= n.
Result<Bytes> rsa_encrypt_raw(const RsaPublicKey& key, ByteSpan message);

// A private key (the test DC's). Copies share the underlying OpenSSL key, which is immutable.
class RsaPrivateKey {
 public:
  // Fresh key with e = 65537; MTProto requires bits = 2048.
  static Result<RsaPrivateKey> generate(int bits = 2048);
  // PKCS#8 ("BEGIN PRIVATE KEY") or PKCS#1 ("BEGIN RSA PRIVATE KEY"), unencrypted.
  static Result<RsaPrivateKey> from_pem(std::string_view pem);

  std::string private_pem() const;                 // PKCS#8 "BEGIN PRIVATE KEY"
  // PKCS#1 "BEGIN RSA PUBLIC KEY" (what Telegram publishes and Telethon's add_key reads), or SPKI.
  std::string public_pem(bool pkcs1 = true) const;
  const RsaPublicKey& public_key() const { return public_; }

  // Raw RSA: c^d mod n as exactly size() bytes. kErrSecurity if c is not size() bytes or c >= n.
  Result<Bytes> decrypt_raw(ByteSpan ciphertext) const;

 private:
  RsaPrivateKey() = default;
  struct Key;
  std::shared_ptr<const Key> key_;
  RsaPublicKey public_;
};

}  // namespace mtp::crypto
