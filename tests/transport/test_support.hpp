#pragma once
// Helpers shared by the transport tests: seeded randomness and packet collection.
#include <cstdint>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "core/bytes.hpp"
#include "transport/random.hpp"
#include "transport/transport_codec.hpp"

namespace mtp::transport::test {

inline RandomFill seeded_random(std::uint64_t seed) {
  auto rng = std::make_shared<std::mt19937_64>(seed);
  return [rng](MutableByteSpan out) {
    for (auto& b : out) b = static_cast<std::uint8_t>((*rng)());
  };
}

inline Bytes random_bytes(std::mt19937_64& rng, std::size_t n) {
  Bytes out(n);
  for (auto& b : out) b = static_cast<std::uint8_t>(rng());
  return out;
}

// String concatenation without GCC 12's -Wrestrict false positive on `"literal" + std::string&&`.
template <class... Parts>
std::string cat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}

inline Bytes concat(ByteSpan a, ByteSpan b) {
  Bytes out(a.begin(), a.end());
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

// A decoded packet copied out of the codec's buffer (views die on the next feed).
struct OwnedPacket {
  Packet::Type type;
  Bytes payload;
  std::uint32_t token = 0;
  std::int32_t error_code = 0;
  bool quick_ack_requested = false;
};

// Pulls every complete packet out of `codec`; fails the test on a decode error.
inline std::vector<OwnedPacket> drain(TransportCodec& codec) {
  std::vector<OwnedPacket> out;
  for (;;) {
    auto next = codec.next();
    if (!next) throw std::runtime_error(cat("decode error: ", next.error().to_string()));
    if (!*next) return out;
    const Packet& p = **next;
    out.push_back({p.type, Bytes(p.payload.begin(), p.payload.end()), p.quick_ack_token, p.error_code,
                   p.quick_ack_requested});
  }
}

}  // namespace mtp::transport::test
