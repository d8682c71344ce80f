#include "crypto/pq.hpp"

#include <numeric>
#include <utility>

namespace mtp::crypto {
namespace {

using u128 = unsigned __int128;

std::uint64_t mul_mod(std::uint64_t a, std::uint64_t b, std::uint64_t m) {
  return static_cast<std::uint64_t>(static_cast<u128>(a) * b % m);
}

std::uint64_t pow_mod(std::uint64_t base, std::uint64_t exp, std::uint64_t m) {
  std::uint64_t result = 1 % m;
  base %= m;
  while (exp) {
    if (exp & 1) result = mul_mod(result, base, m);
    base = mul_mod(base, base, m);
    exp >>= 1;
  }
  return result;
}

// Brent's cycle detection on x -> x^2 + c (mod n), batching gcds over `batch` products.
// Returns a non-trivial factor, or 0 when this c failed or the step budget ran out.
std::uint64_t brent(std::uint64_t n, std::uint64_t c, std::uint64_t x0, std::uint64_t& budget) {
  constexpr std::uint64_t batch = 128;
  auto f = [&](std::uint64_t x) { return static_cast<std::uint64_t>((static_cast<u128>(x) * x + c) % n); };
  std::uint64_t y = x0, x = x0, ys = x0, q = 1, g = 1;
  for (std::uint64_t r = 1; g == 1; r <<= 1) {
    x = y;
    for (std::uint64_t i = 0; i < r; ++i) y = f(y);
    for (std::uint64_t k = 0; k < r && g == 1; k += batch) {
      ys = y;
      std::uint64_t steps = std::min(batch, r - k);
      if (budget < steps) return 0;
      budget -= steps;
      for (std::uint64_t i = 0; i < steps; ++i) {
        y = f(y);
        q = mul_mod(q, x > y ? x - y : y - x, n);
      }
      g = std::gcd(q, n);
    }
  }
  if (g == n) {
    // The batch overshot: replay it one step at a time from the saved point.
    do {
      if (budget == 0) return 0;
      --budget;
      ys = f(ys);
      g = std::gcd(x > ys ? x - ys : ys - x, n);
    } while (g == 1);
  }
  return (g == n || g == 0) ? 0 : g;
}

Error pq_error(std::string detail) { return Error::local(kErrSecurity, "BAD_PQ", std::move(detail)); }

}  // namespace

bool is_prime_u64(std::uint64_t n) {
  if (n < 2) return false;
  for (std::uint64_t small : {2u, 3u, 5u, 7u, 11u, 13u, 17u, 19u, 23u, 29u, 31u, 37u}) {
    if (n % small == 0) return n == small;
  }
  std::uint64_t d = n - 1;
  int s = 0;
  while ((d & 1) == 0) {
    d >>= 1;
    ++s;
  }
  // These 12 bases make Miller-Rabin deterministic below 3.3 * 10^24, which covers 2^64.
  for (std::uint64_t a : {2u, 3u, 5u, 7u, 11u, 13u, 17u, 19u, 23u, 29u, 31u, 37u}) {
    std::uint64_t x = pow_mod(a, d, n);
    if (x == 1 || x == n - 1) continue;
    bool composite = true;
    for (int i = 1; i < s && composite; ++i) {
      x = mul_mod(x, x, n);
      if (x == n - 1) composite = false;
    }
    if (composite) return false;
  }
  return true;
}

Result<PqFactors> factorize_pq(std::uint64_t pq) {
  if (pq < 6) return pq_error("pq too small");
  if (is_prime_u64(pq)) return pq_error("pq is prime");
  std::uint64_t factor = 0;
  if (pq % 2 == 0) {
    factor = 2;
  } else {
    // Rho needs about n^(1/4) ~ 2^16 steps for 64-bit inputs; the budget allows hundreds of times that.
    std::uint64_t budget = std::uint64_t{1} << 24;
    for (std::uint64_t c = 1; c < 64 && factor == 0 && budget > 0; ++c) factor = brent(pq, c, 2 + c, budget);
  }
  if (factor == 0) return pq_error("pq could not be factored");
  std::uint64_t p = factor, q = pq / factor;
  if (p > q) std::swap(p, q);
  if (p == q || !is_prime_u64(p) || !is_prime_u64(q)) return pq_error("pq is not a product of two distinct primes");
  return PqFactors{p, q};
}

Result<std::uint64_t> pq_from_bytes(ByteSpan big_endian) {
  if (big_endian.empty() || big_endian.size() > 8) {
    return Error::local(kErrMalformed, "BAD_PQ", "pq must be 1..8 big-endian bytes");
  }
  std::uint64_t v = 0;
  for (std::uint8_t b : big_endian) v = (v << 8) | b;
  return v;
}

Bytes pq_to_bytes(std::uint64_t value) {
  Bytes out;
  for (int shift = 56; shift >= 0; shift -= 8) {
    auto b = static_cast<std::uint8_t>(value >> shift);
    if (b != 0 || !out.empty() || shift == 0) out.push_back(b);
  }
  return out;
}

PqFactors generate_pq(const RandomSource& random) {
  auto random_prime = [&] {
    for (;;) {
      std::uint8_t buf[4];
      random(buf);
      std::uint32_t v = (std::uint32_t{buf[0]} << 24) | (std::uint32_t{buf[1]} << 16) | (std::uint32_t{buf[2]} << 8) | buf[3];
      // Top bit of 31 set, lowest bit set: an odd number in [2^30, 2^31).
      std::uint64_t candidate = (v & 0x7fffffffu) | 0x40000001u;
      if (is_prime_u64(candidate)) return candidate;
    }
  };
  std::uint64_t p = random_prime(), q = random_prime();
  while (q == p) q = random_prime();
  if (p > q) std::swap(p, q);
  return {p, q};
}

}  // namespace mtp::crypto
