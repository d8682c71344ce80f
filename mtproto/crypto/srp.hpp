#pragma once
// SRP-2048 of Telegram's 2FA (core.telegram.org/api/srp), algorithm
// passwordKdfAlgoSHA256SHA256PBKDF2HMACSHA512iter100000SHA256ModPow. Client side builds
// inputCheckPasswordSRP's A and M1; server side (test DC) stores v = g^x and checks a login.
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/dh.hpp"
#include "crypto/random.hpp"
#include "crypto/sha.hpp"

namespace mtp::crypto {

// The algorithm's parameters as account.password carries them (current_algo).
struct SrpParams {
  Bytes salt1;
  Bytes salt2;
  std::int32_t g = 0;
  Bytes p;  // 256 bytes big-endian
};

// x = PH2(password): SH(PBKDF2-HMAC-SHA512(PH1, salt1, 100000 iterations), salt2) with
// PH1 = SH(SH(password, salt1), salt2) and SH(data, salt) = SHA256(salt | data | salt). Slow on purpose (~0.1 s).
Sha256Digest srp_password_hash(std::string_view password, ByteSpan salt1, ByteSpan salt2);

struct SrpClientAnswer {
  Bytes a_public;    // A = g^a mod p, 256 bytes
  Sha256Digest m1{};  // M1 proof
};

// Client: checks p and g like DH (safe 2048-bit prime, residue of g) and 1 < B < p, then computes
// A and M1 from the 256-byte secret `a`. kErrSecurity on a bad group or B.
Result<SrpClientAnswer> srp_client_answer(const SrpParams& params, std::string_view password, ByteSpan srp_b,
                                          ByteSpan a);
// The same with a fresh random `a`.
Result<SrpClientAnswer> srp_client_answer(const SrpParams& params, std::string_view password, ByteSpan srp_b,
                                          const RandomSource& random);

// Server: the verifier v = g^x mod p (256 bytes) stored instead of the password.
Result<Bytes> srp_verifier(const SrpParams& params, std::string_view password);

// Server: one password check. start() draws b and computes B = (k*v + g^b) mod p, which goes into
// account.password.srp_B; verify() checks the client's A and M1 against it.
class SrpServerSession {
 public:
  static Result<SrpServerSession> start(const SrpParams& params, ByteSpan verifier, const RandomSource& random);
  // Deterministic variant with a given 256-byte secret b (tests).
  static Result<SrpServerSession> start_with_secret(const SrpParams& params, ByteSpan verifier, ByteSpan b);

  const Bytes& b_public() const { return b_public_; }  // srp_B, 256 bytes
  // kErrSecurity when A is out of range or M1 does not match (wrong password).
  Status verify(ByteSpan a_public, ByteSpan m1) const;

 private:
  SrpServerSession(SrpParams params, DhGroup group) : params_(std::move(params)), group_(std::move(group)) {}
  SrpParams params_;
  DhGroup group_;
  BigNum v_;
  Bytes b_secret_;
  Bytes b_public_;
};

}  // namespace mtp::crypto
