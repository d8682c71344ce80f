#pragma once
// Randomness for the transport (padding lengths and bytes, obfuscation headers): the project's one
// injectable source (crypto/random.hpp), so tests are deterministic and production uses RAND_bytes.
#include "crypto/random.hpp"

namespace mtp::transport {

using RandomFill = crypto::RandomSource;
using crypto::system_random;

}  // namespace mtp::transport
