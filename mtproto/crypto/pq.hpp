#pragma once
// The handshake's proof of work: pq is the product of two primes p < q (pq < 2^63). The client
// factors it (Pollard-rho, Brent's variant), the server generates it.
#include <cstdint>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "crypto/random.hpp"

namespace mtp::crypto {

struct PqFactors {
  std::uint64_t p = 0;  // p < q, both prime
  std::uint64_t q = 0;
  friend bool operator==(const PqFactors&, const PqFactors&) = default;
};

// Deterministic Miller-Rabin, exact for every 64-bit input.
bool is_prime_u64(std::uint64_t n);

// Splits pq into two distinct primes p < q. kErrSecurity when pq is prime, has more or other
// factors, or cannot be split within a bounded amount of work (never hangs).
Result<PqFactors> factorize_pq(std::uint64_t pq);

// TL carries pq, p and q as big-endian `bytes`. Parsing rejects empty or more than 8 bytes.
Result<std::uint64_t> pq_from_bytes(ByteSpan big_endian);
Bytes pq_to_bytes(std::uint64_t value);  // minimal big-endian, at least one byte

// Server side: two random distinct 31-bit primes (2^30 < p < q < 2^31), so pq < 2^62.
PqFactors generate_pq(const RandomSource& random);

}  // namespace mtp::crypto
