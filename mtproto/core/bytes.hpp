#pragma once
// Byte containers and views shared by every layer of the protocol library.
#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace mtp {

using Bytes = std::vector<std::uint8_t>;
using ByteSpan = std::span<const std::uint8_t>;
using MutableByteSpan = std::span<std::uint8_t>;

using Int128 = std::array<std::uint8_t, 16>;
using Int256 = std::array<std::uint8_t, 32>;

inline ByteSpan as_bytes(std::string_view s) {
  return {reinterpret_cast<const std::uint8_t*>(s.data()), s.size()};
}

// Lower-case hex, for logs and test diagnostics (never for secrets).
std::string to_hex(ByteSpan data);
// Accepts upper or lower case and ignores whitespace; returns empty on malformed input.
Bytes from_hex(std::string_view hex);

}  // namespace mtp
