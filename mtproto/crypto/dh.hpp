#pragma once
// Diffie-Hellman of the MTProto handshake with every check from core.telegram.org/mtproto/security_guidelines:
// a 2048-bit safe prime, g in 2..7 generating the right subgroup, and public values g_a, g_b in
// [2^(2048-64), p - 2^(2048-64)]. SRP-2048 (2FA) uses the same group checks.
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/bignum.hpp"
#include "crypto/random.hpp"

namespace mtp::crypto {

inline constexpr std::size_t kDhSize = 256;  // bytes of p, g^x, secrets and the auth key

// The 2048-bit safe prime Telegram's DCs send (C71CAEB9...B92FCC5B), big-endian.
ByteSpan telegram_dh_prime();

// A (p, g) pair that passed every check. Only validate() and standard() make one.
class DhGroup {
 public:
  // Full check: 2^2047 < p < 2^2048, p and (p-1)/2 prime (skipped for the known prime), g in 2..7
  // with its residue condition. kErrSecurity on any failure.
  static Result<DhGroup> validate(ByteSpan prime, std::int32_t g);
  // The known prime with g = 3: what the test DC serves (mtcute and others expect this pair).
  static DhGroup standard();

  const BigNum& prime() const { return p_; }
  Bytes prime_bytes() const { return p_.to_be_padded(kDhSize); }
  std::int32_t g() const { return g_; }

  // 1 < value < p-1 and 2^(2048-64) <= value <= p - 2^(2048-64). kErrSecurity otherwise.
  Status check_public(ByteSpan value) const;
  // g^exponent mod p, 256 bytes big-endian.
  Bytes power(ByteSpan exponent) const;

  struct KeyPair {
    Bytes secret;  // 256 random bytes (b or a)
    Bytes public_value;  // g^secret mod p, 256 bytes, already range-checked
  };
  // A fresh secret from `random`; secrets whose g^x fails the range check are drawn again.
  KeyPair generate(const RandomSource& random) const;

  // The shared key peer^secret mod p, exactly 256 bytes big-endian (left-padded): the auth key.
  // Checks the peer's public value first.
  Result<Bytes> shared_key(ByteSpan peer_public, ByteSpan secret) const;

 private:
  DhGroup(BigNum p, std::int32_t g) : p_(std::move(p)), g_(g) {}
  BigNum p_;
  std::int32_t g_;
};

// The residue condition for g alone (exposed for tests and for SRP): g in 2..7 and p mod the
// matching modulus in the allowed set.
bool dh_generator_ok(const BigNum& p, std::int32_t g);

}  // namespace mtp::crypto
