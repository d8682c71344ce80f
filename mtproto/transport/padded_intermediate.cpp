// Padded intermediate framing: 4-byte LE length of payload + padding, the payload, then 0-15 random
// bytes, so packet lengths on the wire do not reveal message sizes.
#include "transport/length_prefixed.hpp"

namespace mtp::transport {
namespace {

class PaddedIntermediateCodec final : public FrameCodec {
 public:
  PaddedIntermediateCodec(Role role, const CodecOptions& options)
      : rules_{role, options.max_packet, true}, random_(options.random ? options.random : system_random()) {}

  TransportKind kind() const override { return TransportKind::kPaddedIntermediate; }

  Status encode(Frame& frame, bool quick_ack) override {
    const std::size_t size = frame.payload_size();
    if (size == 0 || size > 0x7FFFFFFFu - 15) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_BAD_LENGTH", "padded payload size out of range");
    }
    if (quick_ack && rules_.role != Role::kClient) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only clients request quick acks");
    }
    const std::size_t padding = random_padding(15);
    if (padding > 0) random_(frame.append(padding));
    std::uint32_t header = static_cast<std::uint32_t>(size + padding) | (quick_ack ? 0x80000000u : 0u);
    wire::store_u32le(frame.prepend(4).data(), header);
    frame.mark_encoded();
    return {};
  }

  // Reply format: length, FFFFFFFF, token, 0-8 bytes of padding (at most 16 bytes after the length).
  Status encode_quick_ack(Frame& frame, std::uint32_t token) override {
    if (rules_.role != Role::kServer) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_QUICK_ACK", "only servers send quick-ack tokens");
    }
    std::uint8_t body[16];
    const std::size_t padding = random_padding(8);
    wire::store_u32le(body, 0xFFFFFFFFu);
    wire::store_u32le(body + 4, token | 0x80000000u);
    if (padding > 0) random_(MutableByteSpan(body + 8, padding));
    frame.set_raw(ByteSpan(body, 8 + padding));
    wire::store_u32le(frame.prepend(4).data(), static_cast<std::uint32_t>(8 + padding));
    frame.mark_encoded();
    return {};
  }

  Result<ParseStep> parse(MutableByteSpan in) override { return detail::parse_length_prefixed(in, rules_); }

 private:
  std::size_t random_padding(std::size_t max) {
    std::uint8_t r = 0;
    random_(MutableByteSpan(&r, 1));
    return r % (max + 1);
  }

  detail::LengthPrefixedRules rules_;
  RandomFill random_;
};

}  // namespace

std::unique_ptr<FrameCodec> make_padded_intermediate_codec(Role role, const CodecOptions& options) {
  return std::make_unique<PaddedIntermediateCodec>(role, options);
}

}  // namespace mtp::transport
