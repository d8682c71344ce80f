#include "transport/detect.hpp"

#include "transport/codec.hpp"

namespace mtp::transport {

Result<DetectStep> detect_transport(ByteSpan in, const DetectOptions& options) {
  DetectStep step;
  auto decided = [&](TransportKind kind, std::size_t consumed) {
    step.detected = Detected{kind, consumed, std::nullopt, 0};
    return std::move(step);
  };
  if (in.empty()) { step.needed = 1; return step; }
  if (in[0] == 0xEF) return decided(TransportKind::kAbridged, 1);
  if (in.size() < 4) { step.needed = 4; return step; }
  const std::uint32_t first = wire::load_u32le(in.data());
  if (first == 0xEEEEEEEE) return decided(TransportKind::kIntermediate, 4);
  if (first == 0xDDDDDDDD) return decided(TransportKind::kPaddedIntermediate, 4);
  if (first_word_of_other_protocol(first)) {
    // HTTP or TLS: transports we do not serve. Say so now instead of waiting for 64 bytes.
    return wire::malformed("TRANSPORT_UNSUPPORTED", "HTTP/TLS transports are not supported");
  }
  if (in.size() < 8) { step.needed = 8; return step; }
  if (wire::load_u32le(in.data() + 4) == 0) {
    // Seqno 0: a full-transport packet (obfuscation headers never have zeros there).
    const std::size_t length = first;
    if (length > 12 && length % 4 == 0 && length - 12 <= options.max_packet) {
      return decided(TransportKind::kFull, 0);
    }
    return wire::malformed("TRANSPORT_UNKNOWN", "seqno 0 but implausible full-transport length");
  }
  if (in.size() < kObfuscationHeaderSize) { step.needed = kObfuscationHeaderSize; return step; }
  auto accepted = Obfuscation::server(in.first(kObfuscationHeaderSize), options.secret);
  if (!accepted) return std::move(accepted).error();
  step.detected = Detected{accepted->inner, kObfuscationHeaderSize, std::move(accepted->streams), accepted->dc_id};
  return step;
}

}  // namespace mtp::transport
