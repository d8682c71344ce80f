#pragma once
// Randomness for the transport (padding lengths and bytes, obfuscation headers), injectable so
// tests are deterministic.
#include <functional>

#include "core/bytes.hpp"

namespace mtp::transport {

using RandomFill = std::function<void(MutableByteSpan)>;

// OpenSSL's CSPRNG (RAND_bytes). Obfuscation keys come from here in production.
RandomFill system_random();

}  // namespace mtp::transport
