#pragma once
// Where random bytes come from. Every function that needs randomness (nonces, DH and SRP secrets,
// RSA_PAD keys, padding) takes a RandomSource, so tests can run the real code deterministically.
#include <cstdint>
#include <functional>

#include "core/bytes.hpp"

namespace mtp::crypto {

// Fills the whole span with random bytes. Must not fail: a source that cannot deliver aborts.
using RandomSource = std::function<void(MutableByteSpan)>;

// OpenSSL's CSPRNG (RAND_bytes). The only source production code may use.
RandomSource system_random();

// Deterministic stream (SHA-256 of seed || counter) for tests and reproducible simulations.
// NOT for keys that protect anything.
RandomSource seeded_random(std::uint64_t seed);

// Convenience: fill from the system CSPRNG.
void random_bytes(MutableByteSpan out);

}  // namespace mtp::crypto
