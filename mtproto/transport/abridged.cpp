// Abridged framing: a length in 4-byte words, one byte when < 0x7F, else 0x7F + 3 bytes LE.
// Client -> server, the top bit of the first byte requests a quick ack; server -> client, a first
// byte with the top bit set starts a 4-byte big-endian quick-ack token instead of a packet.
#include <string>

#include "transport/codec.hpp"

namespace mtp::transport {
namespace {

constexpr std::size_t kMaxWords = (std::size_t{1} << 24) - 1;

class AbridgedCodec final : public FrameCodec {
 public:
  AbridgedCodec(Role role, const CodecOptions& options) : role_(role), max_packet_(options.max_packet) {}

  TransportKind kind() const override { return TransportKind::kAbridged; }

  Status encode(Frame& frame, bool quick_ack) override {
    const std::size_t size = frame.payload_size();
    if (size == 0 || size % 4 != 0 || size / 4 > kMaxWords) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_BAD_LENGTH",
                          "abridged payload must be a non-empty multiple of 4 below 64 MiB, got " +
                              std::to_string(size));
    }
    if (quick_ack && role_ != Role::kClient) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only clients request quick acks");
    }
    const std::uint8_t ack_bit = quick_ack ? 0x80 : 0x00;
    const std::size_t words = size / 4;
    if (words < 0x7F) {
      frame.prepend(1)[0] = static_cast<std::uint8_t>(words) | ack_bit;
    } else {
      auto header = frame.prepend(4);
      header[0] = 0x7F | ack_bit;
      header[1] = static_cast<std::uint8_t>(words);
      header[2] = static_cast<std::uint8_t>(words >> 8);
      header[3] = static_cast<std::uint8_t>(words >> 16);
    }
    frame.mark_encoded();
    return {};
  }

  Status encode_quick_ack(Frame& frame, std::uint32_t token) override {
    if (role_ != Role::kServer) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only servers send quick-ack tokens");
    }
    token |= 0x80000000u;  // the set top bit is what tells the client this is not a length
    const std::uint8_t be[4] = {static_cast<std::uint8_t>(token >> 24), static_cast<std::uint8_t>(token >> 16),
                                static_cast<std::uint8_t>(token >> 8), static_cast<std::uint8_t>(token)};
    frame.set_raw(be);
    frame.mark_encoded();
    return {};
  }

  Result<ParseStep> parse(MutableByteSpan in) override {
    ParseStep step;
    if (in.empty()) { step.needed = 1; return step; }
    std::uint8_t first = in[0];
    bool ack_flag = (first & 0x80) != 0;
    if (ack_flag && role_ == Role::kClient) {
      if (in.size() < 4) { step.needed = 4; return step; }
      step.packet.type = Packet::Type::kQuickAck;
      step.packet.quick_ack_token = std::uint32_t{in[0]} << 24 | std::uint32_t{in[1]} << 16 |
                                    std::uint32_t{in[2]} << 8 | in[3];
      step.consumed = 4;
      return step;
    }
    first &= 0x7F;
    std::size_t header = 1;
    std::size_t words = first;
    if (first == 0x7F) {
      header = 4;
      if (in.size() < header) { step.needed = header; return step; }
      words = std::size_t{in[1]} | std::size_t{in[2]} << 8 | std::size_t{in[3]} << 16;
    }
    const std::size_t length = words * 4;
    if (length == 0) return wire::malformed("TRANSPORT_BAD_LENGTH", "abridged packet of length 0");
    if (length > max_packet_) return wire::too_large(length, max_packet_);
    if (in.size() < header + length) { step.needed = header + length; return step; }
    step.packet.payload = in.subspan(header, length);
    step.packet.quick_ack_requested = ack_flag;
    if (role_ == Role::kClient && wire::is_transport_error(step.packet.payload)) {
      step.packet.type = Packet::Type::kTransportError;
      step.packet.error_code = static_cast<std::int32_t>(wire::load_u32le(step.packet.payload.data()));
    }
    step.consumed = header + length;
    return step;
  }

 private:
  Role role_;
  std::size_t max_packet_;
};

}  // namespace

std::unique_ptr<FrameCodec> make_abridged_codec(Role role, const CodecOptions& options) {
  return std::make_unique<AbridgedCodec>(role, options);
}

}  // namespace mtp::transport
