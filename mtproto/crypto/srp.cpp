#include "crypto/srp.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <array>
#include <stdexcept>

namespace mtp::crypto {
namespace {

Error srp_error(std::string detail) { return Error::local(kErrSecurity, "BAD_SRP", std::move(detail)); }

// SH(data, salt) = H(salt | data | salt)
Sha256Digest salted_hash(ByteSpan data, ByteSpan salt) { return sha256({salt, data, salt}); }

Bytes pad256(const BigNum& v) { return v.to_be_padded(kDhSize); }

// k = H(p | pad(g))
BigNum multiplier(const DhGroup& group) {
  Bytes p = pad256(group.prime()), g = pad256(BigNum(static_cast<std::uint64_t>(group.g())));
  Sha256Digest k = sha256({p, g});
  return BigNum::from_be(k);
}

// u = H(pad(A) | pad(B))
BigNum scrambler(ByteSpan a_padded, ByteSpan b_padded) { return BigNum::from_be(sha256({a_padded, b_padded})); }

// M1 = H(H(p) XOR H(g) | H(salt1) | H(salt2) | A | B | K), A, B, p and g padded to 256 bytes.
Sha256Digest proof(const SrpParams& params, const DhGroup& group, ByteSpan a_padded, ByteSpan b_padded,
                   const BigNum& s) {
  Sha256Digest hp = sha256(pad256(group.prime()));
  Sha256Digest hg = sha256(pad256(BigNum(static_cast<std::uint64_t>(group.g()))));
  for (std::size_t i = 0; i < hp.size(); ++i) hp[i] ^= hg[i];
  Sha256Digest k = sha256(pad256(s));
  return sha256({hp, sha256(params.salt1), sha256(params.salt2), a_padded, b_padded, k});
}

// 1 < value < p: the range SRP needs for A and B (they need not be in DH's narrower safe range).
bool in_open_range(const BigNum& value, const BigNum& p) { return value > BigNum(1) && value < p; }

}  // namespace

Sha256Digest srp_password_hash(std::string_view password, ByteSpan salt1, ByteSpan salt2) {
  Sha256Digest ph1 = salted_hash(salted_hash(as_bytes(password), salt1), salt2);
  std::array<std::uint8_t, 64> stretched{};
  if (PKCS5_PBKDF2_HMAC(reinterpret_cast<const char*>(ph1.data()), static_cast<int>(ph1.size()), salt1.data(),
                        static_cast<int>(salt1.size()), 100000, EVP_sha512(), static_cast<int>(stretched.size()),
                        stretched.data()) != 1) {
    throw std::runtime_error("PBKDF2-HMAC-SHA512 failed");
  }
  Sha256Digest x = salted_hash(stretched, salt2);
  OPENSSL_cleanse(stretched.data(), stretched.size());
  return x;
}

Result<SrpClientAnswer> srp_client_answer(const SrpParams& params, std::string_view password, ByteSpan srp_b,
                                          ByteSpan a) {
  auto group = DhGroup::validate(params.p, params.g);
  if (!group) return std::move(group).error();
  const BigNum& p = group->prime();
  BigNum b_pub = BigNum::from_be(srp_b);
  if (srp_b.size() > kDhSize || !in_open_range(b_pub, p)) return srp_error("srp_B out of range");

  Sha256Digest x_bytes = srp_password_hash(password, params.salt1, params.salt2);
  BigNum x = BigNum::from_be(x_bytes);
  BigNum g(static_cast<std::uint64_t>(params.g));
  BigNum v = mod_exp(g, x, p);
  BigNum k_v = mod_mul(multiplier(*group), v, p);

  SrpClientAnswer out;
  out.a_public = group->power(a);
  Bytes b_padded = pad256(b_pub);
  BigNum u = scrambler(out.a_public, b_padded);
  if (u.is_zero()) return srp_error("SRP scrambler u is zero");

  BigNum t = mod_sub(b_pub, k_v, p);
  BigNum exponent = BigNum::from_be(a) + u * x;
  exponent.set_secret();
  BigNum s = mod_exp(t, exponent, p);
  out.m1 = proof(params, *group, out.a_public, b_padded, s);
  return out;
}

Result<SrpClientAnswer> srp_client_answer(const SrpParams& params, std::string_view password, ByteSpan srp_b,
                                          const RandomSource& random) {
  Bytes a(kDhSize);
  random(a);
  return srp_client_answer(params, password, srp_b, a);
}

Result<Bytes> srp_verifier(const SrpParams& params, std::string_view password) {
  auto group = DhGroup::validate(params.p, params.g);
  if (!group) return std::move(group).error();
  Sha256Digest x = srp_password_hash(password, params.salt1, params.salt2);
  return group->power(x);
}

Result<SrpServerSession> SrpServerSession::start(const SrpParams& params, ByteSpan verifier,
                                                 const RandomSource& random) {
  Bytes b(kDhSize);
  random(b);
  return start_with_secret(params, verifier, b);
}

Result<SrpServerSession> SrpServerSession::start_with_secret(const SrpParams& params, ByteSpan verifier, ByteSpan b) {
  auto group = DhGroup::validate(params.p, params.g);
  if (!group) return std::move(group).error();
  SrpServerSession session(params, std::move(*group));
  const BigNum& p = session.group_.prime();
  session.v_ = BigNum::from_be(verifier);
  if (!in_open_range(session.v_, p)) return srp_error("SRP verifier out of range");
  session.b_secret_.assign(b.begin(), b.end());
  BigNum g_b = BigNum::from_be(session.group_.power(b));
  BigNum b_pub = mod_add(mod_mul(multiplier(session.group_), session.v_, p), g_b, p);
  // B must look like any other value in (1, p) to the client; a degenerate one is a b we redraw.
  if (!in_open_range(b_pub, p)) return srp_error("degenerate SRP B; draw another b");
  session.b_public_ = pad256(b_pub);
  return session;
}

Status SrpServerSession::verify(ByteSpan a_public, ByteSpan m1) const {
  const BigNum& p = group_.prime();
  BigNum a_pub = BigNum::from_be(a_public);
  if (a_public.size() > kDhSize || !in_open_range(a_pub, p)) return srp_error("A out of range");
  if (m1.size() != 32) return srp_error("M1 is not 32 bytes");
  Bytes a_padded = pad256(a_pub);
  BigNum u = scrambler(a_padded, b_public_);
  if (u.is_zero()) return srp_error("SRP scrambler u is zero");
  // S = (A * v^u)^b mod p
  BigNum base = mod_mul(a_pub, mod_exp(v_, u, p), p);
  BigNum b = BigNum::from_be(b_secret_);
  b.set_secret();
  BigNum s = mod_exp(base, b, p);
  Sha256Digest expected = proof(params_, group_, a_padded, b_public_, s);
  if (CRYPTO_memcmp(expected.data(), m1.data(), expected.size()) != 0) return srp_error("M1 mismatch");
  return {};
}

}  // namespace mtp::crypto
