#pragma once
// Vocabulary shared by every transport codec: which framing, which side of the connection,
// and what a decoded packet is.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "core/bytes.hpp"

namespace mtp::transport {

// The four MTProto framings (core.telegram.org/mtproto/mtproto-transports).
enum class TransportKind { kAbridged, kIntermediate, kPaddedIntermediate, kFull };

std::string_view to_string(TransportKind kind);

// Framing differs slightly by direction (quick-ack encoding, transport errors), so every codec knows
// which end of the connection it sits on.
enum class Role { kClient, kServer };

// Upper bound of a decoded packet's payload. A length field above it is a malformed stream: we never
// allocate what a hostile peer announces. upload.getFile answers are at most 1 MiB plus framing.
inline constexpr std::size_t kDefaultMaxPacket = std::size_t{16} << 20;

struct Packet {
  enum class Type {
    kData,            // an MTProto message (plain or encrypted)
    kQuickAck,        // server -> client: a quick acknowledgement token
    kTransportError,  // server -> client: a 4-byte negative code such as -404
  };
  Type type = Type::kData;
  // kData: the payload, a view into the decoder's buffer, valid until the next prepare()/feed().
  // Mutable so the session can decrypt in place (no copy of a 1 MiB answer). For the padded
  // intermediate transport it includes the random padding (the MTProto layer knows the real length).
  MutableByteSpan payload;
  std::uint32_t quick_ack_token = 0;  // kQuickAck: the token as the server sent it (MSB set)
  std::int32_t error_code = 0;        // kTransportError: -404, -429, -444 ...
  bool quick_ack_requested = false;   // kData in the server role: the client asked for a quick ack
};

}  // namespace mtp::transport
