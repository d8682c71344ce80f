#pragma once
// Server side: which transport did the client open with? Decided from the first bytes as Telegram
// does: EF -> abridged, EEEEEEEE -> intermediate, DDDDDDDD -> padded intermediate, a full-transport
// first packet (seqno 0 at bytes 4..8, plausible length) -> full, otherwise a 64-byte obfuscation
// header whose decrypted tag names the inner framing.
#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "transport/obfuscation.hpp"
#include "transport/packet.hpp"

namespace mtp::transport {

struct DetectOptions {
  ByteSpan secret;  // MTProxy secret for obfuscated clients, if this server is behind one
  std::size_t max_packet = kDefaultMaxPacket;
};

struct Detected {
  TransportKind kind;
  std::size_t consumed;  // marker/header bytes that belong to no packet (0 for full)
  std::optional<Obfuscation> obfuscation;
  std::int16_t dc_id = 0;
};

struct DetectStep {
  std::optional<Detected> detected;
  std::size_t needed = 0;  // when not detected yet: how many bytes the decision needs in total
};

// Never blocks on garbage: it either decides, asks for (at most 64) bytes, or fails.
Result<DetectStep> detect_transport(ByteSpan first_bytes, const DetectOptions& options = {});

}  // namespace mtp::transport
