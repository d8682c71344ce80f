#include "transport/codec.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace mtp::transport {

std::string_view to_string(TransportKind kind) {
  switch (kind) {
    case TransportKind::kAbridged: return "abridged";
    case TransportKind::kIntermediate: return "intermediate";
    case TransportKind::kPaddedIntermediate: return "padded-intermediate";
    case TransportKind::kFull: return "full";
  }
  return "unknown";
}

ByteSpan plain_marker(TransportKind kind) {
  static constexpr std::array<std::uint8_t, 1> kAbridged{0xEF};
  static constexpr std::array<std::uint8_t, 4> kIntermediate{0xEE, 0xEE, 0xEE, 0xEE};
  static constexpr std::array<std::uint8_t, 4> kPadded{0xDD, 0xDD, 0xDD, 0xDD};
  switch (kind) {
    case TransportKind::kAbridged: return kAbridged;
    case TransportKind::kIntermediate: return kIntermediate;
    case TransportKind::kPaddedIntermediate: return kPadded;
    case TransportKind::kFull: return {};
  }
  return {};
}

std::uint32_t obfuscation_tag(TransportKind kind) {
  switch (kind) {
    case TransportKind::kAbridged: return 0xEFEFEFEF;
    case TransportKind::kIntermediate: return 0xEEEEEEEE;
    case TransportKind::kPaddedIntermediate: return 0xDDDDDDDD;
    case TransportKind::kFull: break;
  }
  throw std::invalid_argument("the full transport cannot be obfuscated");
}

std::unique_ptr<FrameCodec> make_frame_codec(TransportKind kind, Role role, CodecOptions options) {
  if (!options.random) options.random = system_random();
  switch (kind) {
    case TransportKind::kAbridged: return make_abridged_codec(role, options);
    case TransportKind::kIntermediate: return make_intermediate_codec(role, options);
    case TransportKind::kPaddedIntermediate: return make_padded_intermediate_codec(role, options);
    case TransportKind::kFull: return make_full_codec(role, options);
  }
  throw std::invalid_argument("unknown transport kind");
}

namespace wire {
Error malformed(const char* type, std::string detail) {
  return Error::local(kErrMalformed, type, std::move(detail));
}
Error too_large(std::size_t length, std::size_t limit) {
  std::string detail = "packet of ";
  detail.append(std::to_string(length)).append(" bytes exceeds the limit of ");
  detail.append(std::to_string(limit));
  return Error::local(kErrMalformed, "TRANSPORT_PACKET_TOO_LARGE", std::move(detail));
}
}  // namespace wire

}  // namespace mtp::transport
