// Intermediate framing: 4-byte LE length + payload.
#include "transport/length_prefixed.hpp"

namespace mtp::transport {

namespace detail {

Result<ParseStep> parse_length_prefixed(MutableByteSpan in, const LengthPrefixedRules& rules) {
  ParseStep step;
  if (in.size() < 4) { step.needed = 4; return step; }
  const std::uint32_t header = wire::load_u32le(in.data());
  const bool top_bit = (header & 0x80000000u) != 0;
  if (top_bit && rules.role == Role::kClient) {
    step.packet.type = Packet::Type::kQuickAck;
    step.packet.quick_ack_token = header;
    step.consumed = 4;
    return step;
  }
  const std::size_t length = header & 0x7FFFFFFFu;
  if (length == 0) return wire::malformed("TRANSPORT_BAD_LENGTH", "intermediate packet of length 0");
  if (length > rules.max_packet) return wire::too_large(length, rules.max_packet);
  if (in.size() < 4 + length) { step.needed = 4 + length; return step; }
  Packet& packet = step.packet;
  packet.payload = in.subspan(4, length);
  packet.quick_ack_requested = top_bit;
  step.consumed = 4 + length;
  if (rules.role != Role::kClient) return step;

  // Server -> client special packets. Real MTProto messages are at least 20 bytes long, so a shorter
  // (padded) payload cannot be mistaken for one.
  const std::size_t max_special = rules.padded ? 4 + 15 : 4;
  if (length >= 4 && length <= max_special &&
      static_cast<std::int32_t>(wire::load_u32le(packet.payload.data())) < 0) {
    const std::uint32_t first = wire::load_u32le(packet.payload.data());
    if (rules.padded && first == 0xFFFFFFFFu && length >= 8) {
      // Padded quick-ack reply: FFFFFFFF + token + padding.
      packet.type = Packet::Type::kQuickAck;
      packet.quick_ack_token = wire::load_u32le(packet.payload.data() + 4);
    } else {
      packet.type = Packet::Type::kTransportError;
      packet.error_code = static_cast<std::int32_t>(first);
    }
    packet.payload = {};
  }
  return step;
}

}  // namespace detail

namespace {

class IntermediateCodec final : public FrameCodec {
 public:
  IntermediateCodec(Role role, const CodecOptions& options) : rules_{role, options.max_packet, false} {}

  TransportKind kind() const override { return TransportKind::kIntermediate; }

  Status encode(Frame& frame, bool quick_ack) override {
    const std::size_t size = frame.payload_size();
    if (size == 0 || size > 0x7FFFFFFFu) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_BAD_LENGTH", "intermediate payload size out of range");
    }
    if (quick_ack && rules_.role != Role::kClient) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only clients request quick acks");
    }
    std::uint32_t header = static_cast<std::uint32_t>(size) | (quick_ack ? 0x80000000u : 0u);
    wire::store_u32le(frame.prepend(4).data(), header);
    frame.mark_encoded();
    return {};
  }

  Status encode_quick_ack(Frame& frame, std::uint32_t token) override {
    if (rules_.role != Role::kServer) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only servers send quick-ack tokens");
    }
    std::uint8_t raw[4];
    wire::store_u32le(raw, token | 0x80000000u);
    frame.set_raw(raw);
    frame.mark_encoded();
    return {};
  }

  Result<ParseStep> parse(MutableByteSpan in) override { return detail::parse_length_prefixed(in, rules_); }

 private:
  detail::LengthPrefixedRules rules_;
};

}  // namespace

std::unique_ptr<FrameCodec> make_intermediate_codec(Role role, const CodecOptions& options) {
  return std::make_unique<IntermediateCodec>(role, options);
}

}  // namespace mtp::transport
