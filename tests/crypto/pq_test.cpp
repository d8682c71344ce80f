#include <catch2/catch.hpp>

#include "crypto/pq.hpp"

using namespace mtp;
using namespace mtp::crypto;

namespace {

void check_factors(std::uint64_t pq, std::uint64_t p, std::uint64_t q) {
  INFO("pq = " << pq);
  auto f = factorize_pq(pq);
  REQUIRE(f.ok());
  CHECK(f->p == p);
  CHECK(f->q == q);
}

}  // namespace

TEST_CASE("pq from Telegram's sample handshakes factors into p < q") {
  // core.telegram.org/mtproto/samples-auth_key, new page (VECTORS.md §1/§2) and the old page (§2).
  check_factors(2694724800268887959ULL, 1513098571ULL, 1780931429ULL);
  check_factors(0x17ED48941A08F981ULL, 0x494C553BULL, 0x53911073ULL);
}

TEST_CASE("pq values from other clients' test suites factor") {
  // mtcute/mtcute packages/core/src/utils/crypto/factorization.test.ts @ a2739b678c016b4bb9862ce20b25567c715fb80d
  check_factors(2090522174869285481ULL, 1112973847ULL, 1878321023ULL);
  check_factors(1470626929934143021ULL, 1206429347ULL, 1218991343ULL);
  check_factors(2804275833720261793ULL, 1555252417ULL, 1803100129ULL);
  // LonamiWebs/Telethon client/tests/factorize_test.py @ 9636ef35c1db0475ad09357a82e535ce8ddd288b
  check_factors(2363612107535801713ULL, 1518968219ULL, 1556064227ULL);
  // ... and its even case: 2 * a 60-bit prime.
  check_factors(2000000000000000006ULL, 2ULL, 1000000000000000003ULL);
}

TEST_CASE("pq that is prime or not two distinct primes is rejected, without hanging") {
  for (std::uint64_t bad : {0ULL, 1ULL, 2ULL, 5ULL, 1000000000000000003ULL, 9223372036854775783ULL /* 2^63-25, prime */,
                            18446744073709551557ULL /* largest 64-bit prime */}) {
    INFO(bad);
    auto f = factorize_pq(bad);
    REQUIRE_FALSE(f.ok());
    CHECK(f.error().code == kErrSecurity);
  }
  // p^2, three factors, a prime power: all have a split, but not into two distinct primes.
  CHECK_FALSE(factorize_pq(1513098571ULL * 1513098571ULL).ok());
  CHECK_FALSE(factorize_pq(1009ULL * 1013ULL * 1019ULL).ok());
  CHECK_FALSE(factorize_pq(3ULL * 3ULL * 3ULL * 3ULL).ok());
}

TEST_CASE("Miller-Rabin is exact on edge cases") {
  CHECK_FALSE(is_prime_u64(0));
  CHECK_FALSE(is_prime_u64(1));
  CHECK(is_prime_u64(2));
  CHECK(is_prime_u64(37));
  CHECK_FALSE(is_prime_u64(3215031751ULL));  // strong pseudoprime to bases 2, 3, 5, 7
  CHECK_FALSE(is_prime_u64(3825123056546413051ULL));  // strong pseudoprime to bases 2..23
  CHECK(is_prime_u64(18446744073709551557ULL));
  CHECK_FALSE(is_prime_u64(18446744073709551615ULL));
}

TEST_CASE("generated pq values factor back to their primes") {
  RandomSource random = seeded_random(42);
  for (int i = 0; i < 200; ++i) {
    PqFactors made = generate_pq(random);
    REQUIRE(made.p < made.q);
    REQUIRE(is_prime_u64(made.p));
    REQUIRE(is_prime_u64(made.q));
    REQUIRE(made.p >= (1u << 30));
    REQUIRE(made.q < (1u << 31));
    std::uint64_t pq = made.p * made.q;
    REQUIRE(pq < (std::uint64_t{1} << 63));
    auto found = factorize_pq(pq);
    REQUIRE(found.ok());
    REQUIRE(*found == made);
  }
}

TEST_CASE("pq travels as minimal big-endian bytes") {
  CHECK(to_hex(pq_to_bytes(0x17ED48941A08F981ULL)) == "17ed48941a08f981");
  CHECK(to_hex(pq_to_bytes(0x494C553BULL)) == "494c553b");
  CHECK(to_hex(pq_to_bytes(0)) == "00");
  auto v = pq_from_bytes(from_hex("256595EDB7766797"));
  REQUIRE(v.ok());
  CHECK(*v == 2694724800268887959ULL);
  CHECK_FALSE(pq_from_bytes({}).ok());
  CHECK_FALSE(pq_from_bytes(from_hex("01256595EDB7766797")).ok());
}
