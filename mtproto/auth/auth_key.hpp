#pragma once
// What a finished handshake yields, on either side.
#include <chrono>
#include <cstdint>

#include "core/bytes.hpp"

namespace mtp::auth {

struct AuthKeyResult {
  Bytes auth_key;                 // the full 256-byte g^ab, big-endian
  std::uint64_t auth_key_id = 0;  // SHA1(auth_key)[12:20] as the little-endian int64 of the wire
  std::uint64_t server_salt = 0;  // new_nonce[0:8] XOR server_nonce[0:8], wire order
  // Server time minus the local clock when server_DH_inner_data arrived; feed it to
  // session::MessageIdGenerator::set_server_offset.
  std::chrono::nanoseconds server_time_offset{0};
};

}  // namespace mtp::auth
