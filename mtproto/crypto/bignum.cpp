#include "crypto/bignum.hpp"

#include <openssl/bn.h>

#include <new>
#include <stdexcept>

namespace mtp::crypto {
namespace {

// BN_CTX is scratch space; one per thread avoids allocating it for every operation.
BN_CTX* scratch() {
  thread_local struct Holder {
    BN_CTX* ctx = BN_CTX_new();
    ~Holder() { BN_CTX_free(ctx); }
  } holder;
  if (!holder.ctx) throw std::bad_alloc();
  return holder.ctx;
}

void check(int rc, const char* what) {
  // OpenSSL BN calls only fail on allocation failure or misuse (e.g. modulus zero).
  if (rc != 1) throw std::runtime_error(std::string("OpenSSL BIGNUM failure: ") + what);
}

}  // namespace

BigNum::BigNum() : bn_(BN_new()) {
  if (!bn_) throw std::bad_alloc();
}

BigNum::BigNum(std::uint64_t value) : BigNum() {
  // BN_set_word takes BN_ULONG, which is 64-bit on every platform we build for.
  static_assert(sizeof(BN_ULONG) >= sizeof(std::uint64_t));
  check(BN_set_word(bn_, value), "BN_set_word");
}

BigNum::~BigNum() { BN_clear_free(bn_); }

BigNum::BigNum(const BigNum& other) : bn_(BN_dup(other.bn_)) {
  if (!bn_) throw std::bad_alloc();
}

BigNum& BigNum::operator=(const BigNum& other) {
  if (this != &other && !BN_copy(bn_, other.bn_)) throw std::bad_alloc();
  return *this;
}

BigNum::BigNum(BigNum&& other) noexcept : bn_(other.bn_) { other.bn_ = nullptr; }

BigNum& BigNum::operator=(BigNum&& other) noexcept {
  std::swap(bn_, other.bn_);
  return *this;
}

BigNum BigNum::from_be(ByteSpan big_endian) {
  BigNum r;
  if (!BN_bin2bn(big_endian.data(), static_cast<int>(big_endian.size()), r.bn_)) throw std::bad_alloc();
  return r;
}

BigNum BigNum::power_of_two(int bits) {
  BigNum r;
  check(BN_set_bit(r.bn_, bits), "BN_set_bit");
  return r;
}

Bytes BigNum::to_be() const {
  Bytes out(static_cast<std::size_t>(BN_num_bytes(bn_)));
  BN_bn2bin(bn_, out.data());
  return out;
}

Bytes BigNum::to_be_padded(std::size_t size) const {
  Bytes out(size);
  if (BN_bn2binpad(bn_, out.data(), static_cast<int>(size)) < 0) {
    throw std::logic_error("BigNum::to_be_padded: value does not fit");
  }
  return out;
}

int BigNum::num_bits() const { return BN_num_bits(bn_); }
int BigNum::num_bytes() const { return BN_num_bytes(bn_); }
bool BigNum::is_zero() const { return BN_is_zero(bn_); }
void BigNum::set_secret() { BN_set_flags(bn_, BN_FLG_CONSTTIME); }

std::uint64_t BigNum::mod_word(std::uint64_t w) const {
  BN_ULONG r = BN_mod_word(bn_, w);
  if (r == static_cast<BN_ULONG>(-1)) throw std::runtime_error("BN_mod_word failed");
  return r;
}

int compare(const BigNum& a, const BigNum& b) { return BN_cmp(a.bn_, b.bn_); }

BigNum operator+(const BigNum& a, const BigNum& b) {
  BigNum r;
  check(BN_add(r.get(), a.get(), b.get()), "BN_add");
  return r;
}

BigNum operator-(const BigNum& a, const BigNum& b) {
  if (a < b) throw std::logic_error("BigNum subtraction would be negative");
  BigNum r;
  check(BN_sub(r.get(), a.get(), b.get()), "BN_sub");
  return r;
}

BigNum operator*(const BigNum& a, const BigNum& b) {
  BigNum r;
  check(BN_mul(r.get(), a.get(), b.get(), scratch()), "BN_mul");
  return r;
}

BigNum operator>>(const BigNum& a, int bits) {
  BigNum r;
  check(BN_rshift(r.get(), a.get(), bits), "BN_rshift");
  return r;
}

BigNum mod_exp(const BigNum& base, const BigNum& exponent, const BigNum& m) {
  BigNum r;
  // BN_mod_exp switches to the constant-time Montgomery ladder when the exponent has BN_FLG_CONSTTIME.
  check(BN_mod_exp(r.get(), base.get(), exponent.get(), m.get(), scratch()), "BN_mod_exp");
  return r;
}

BigNum mod_mul(const BigNum& a, const BigNum& b, const BigNum& m) {
  BigNum r;
  check(BN_mod_mul(r.get(), a.get(), b.get(), m.get(), scratch()), "BN_mod_mul");
  return r;
}

BigNum mod_add(const BigNum& a, const BigNum& b, const BigNum& m) {
  BigNum r;
  check(BN_mod_add(r.get(), a.get(), b.get(), m.get(), scratch()), "BN_mod_add");
  return r;
}

BigNum mod_sub(const BigNum& a, const BigNum& b, const BigNum& m) {
  BigNum r;
  check(BN_mod_sub(r.get(), a.get(), b.get(), m.get(), scratch()), "BN_mod_sub");
  return r;
}

bool is_probable_prime(const BigNum& n) {
  int rc = BN_check_prime(n.get(), scratch(), nullptr);
  if (rc < 0) throw std::runtime_error("BN_check_prime failed");
  return rc == 1;
}

}  // namespace mtp::crypto
