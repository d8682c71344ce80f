#pragma once
// A thin RAII owner of an OpenSSL BIGNUM with the handful of operations the handshake, DH and SRP
// need. Values are non-negative big-endian integers at the boundary (TL `bytes` carry them that way).
// Every BigNum is cleared on destruction (BN_clear_free): many of them are secret exponents.
#include <cstdint>

#include "core/bytes.hpp"

struct bignum_st;  // OpenSSL's BIGNUM, without pulling <openssl/bn.h> into every includer

namespace mtp::crypto {

class BigNum {
 public:
  BigNum();  // zero
  explicit BigNum(std::uint64_t value);
  ~BigNum();
  BigNum(const BigNum& other);
  BigNum& operator=(const BigNum& other);
  BigNum(BigNum&& other) noexcept;
  BigNum& operator=(BigNum&& other) noexcept;

  static BigNum from_be(ByteSpan big_endian);
  // 2^bits.
  static BigNum power_of_two(int bits);

  // Minimal big-endian bytes (empty for zero).
  Bytes to_be() const;
  // Exactly `size` bytes, left-padded with zeros. Programmer error if the value does not fit.
  Bytes to_be_padded(std::size_t size) const;

  int num_bits() const;
  int num_bytes() const;
  bool is_zero() const;
  // Marks the value as a secret exponent: modular exponentiation then takes the constant-time path.
  void set_secret();
  // Remainder modulo a small word (for the DH generator residue checks).
  std::uint64_t mod_word(std::uint64_t w) const;

  bignum_st* get() { return bn_; }
  const bignum_st* get() const { return bn_; }

  friend int compare(const BigNum& a, const BigNum& b);
  friend bool operator==(const BigNum& a, const BigNum& b) { return compare(a, b) == 0; }
  friend bool operator<(const BigNum& a, const BigNum& b) { return compare(a, b) < 0; }
  friend bool operator<=(const BigNum& a, const BigNum& b) { return compare(a, b) <= 0; }
  friend bool operator>(const BigNum& a, const BigNum& b) { return compare(a, b) > 0; }
  friend bool operator>=(const BigNum& a, const BigNum& b) { return compare(a, b) >= 0; }

 private:
  bignum_st* bn_;
};

BigNum operator+(const BigNum& a, const BigNum& b);
BigNum operator-(const BigNum& a, const BigNum& b);  // programmer error if the result is negative
BigNum operator*(const BigNum& a, const BigNum& b);
BigNum operator>>(const BigNum& a, int bits);

// (base ^ exponent) mod m. Constant time when the exponent is marked secret.
BigNum mod_exp(const BigNum& base, const BigNum& exponent, const BigNum& m);
// (a * b) mod m, (a + b) mod m, (a - b) mod m, all in [0, m).
BigNum mod_mul(const BigNum& a, const BigNum& b, const BigNum& m);
BigNum mod_add(const BigNum& a, const BigNum& b, const BigNum& m);
BigNum mod_sub(const BigNum& a, const BigNum& b, const BigNum& m);
// Probabilistic primality test with OpenSSL's default rounds (error probability < 2^-128).
bool is_probable_prime(const BigNum& n);

}  // namespace mtp::crypto
