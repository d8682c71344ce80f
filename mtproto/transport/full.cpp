// Full framing: length (including its 12 bytes of overhead) | seqno | payload | CRC32 of everything
// before it. The seqno counts packets per direction from 0; a wrong seqno or CRC breaks the stream.
#include <zlib.h>

#include <string>

#include "transport/codec.hpp"

namespace mtp::transport {
namespace {

constexpr std::size_t kOverhead = 12;

std::uint32_t crc32_of(ByteSpan data) {
  uLong crc = crc32(0L, Z_NULL, 0);
  std::size_t done = 0;
  while (done < data.size()) {  // zlib takes uInt lengths
    auto chunk = static_cast<uInt>(std::min<std::size_t>(data.size() - done, 1u << 30));
    crc = crc32(crc, data.data() + done, chunk);
    done += chunk;
  }
  return static_cast<std::uint32_t>(crc);
}

class FullCodec final : public FrameCodec {
 public:
  FullCodec(Role role, const CodecOptions& options) : role_(role), max_packet_(options.max_packet) {}

  TransportKind kind() const override { return TransportKind::kFull; }

  Status encode(Frame& frame, bool quick_ack) override {
    const std::size_t size = frame.payload_size();
    if (size == 0 || size > 0x7FFFFFFFu - kOverhead) {
      return Error::local(kErrInvalidArgument, "TRANSPORT_BAD_LENGTH", "full payload size out of range");
    }
    if (quick_ack) {
      return Error::local(kErrUnsupported, "TRANSPORT_QUICK_ACK", "the full transport has no quick acks");
    }
    auto header = frame.prepend(8);
    wire::store_u32le(header.data(), static_cast<std::uint32_t>(size + kOverhead));
    wire::store_u32le(header.data() + 4, send_seqno_++);
    const std::uint32_t crc = crc32_of(frame.wire());
    wire::store_u32le(frame.append(4).data(), crc);
    frame.mark_encoded();
    return {};
  }

  Status encode_quick_ack(Frame&, std::uint32_t) override {
    return Error::local(kErrUnsupported, "TRANSPORT_QUICK_ACK", "the full transport has no quick acks");
  }

  Result<ParseStep> parse(MutableByteSpan in) override {
    ParseStep step;
    if (in.size() < 4) { step.needed = 4; return step; }
    const std::size_t length = wire::load_u32le(in.data());
    if (length <= kOverhead) {
      return wire::malformed("TRANSPORT_BAD_LENGTH", "full packet length " + std::to_string(length));
    }
    if (length - kOverhead > max_packet_) return wire::too_large(length - kOverhead, max_packet_);
    if (in.size() < length) { step.needed = length; return step; }

    const std::uint32_t seqno = wire::load_u32le(in.data() + 4);
    if (seqno != recv_seqno_) {
      std::string detail = "expected seqno ";
      detail.append(std::to_string(recv_seqno_)).append(", got ").append(std::to_string(seqno));
      return wire::malformed("TRANSPORT_BAD_SEQNO", std::move(detail));
    }
    const std::uint32_t crc = wire::load_u32le(in.data() + length - 4);
    if (crc != crc32_of(in.first(length - 4))) {
      return wire::malformed("TRANSPORT_BAD_CRC", "CRC32 mismatch in packet " + std::to_string(seqno));
    }
    ++recv_seqno_;
    step.consumed = length;
    step.packet.payload = in.subspan(8, length - kOverhead);
    if (role_ == Role::kClient && wire::is_transport_error(step.packet.payload)) {
      step.packet.type = Packet::Type::kTransportError;
      step.packet.error_code = static_cast<std::int32_t>(wire::load_u32le(step.packet.payload.data()));
    }
    return step;
  }

 private:
  Role role_;
  std::size_t max_packet_;
  std::uint32_t send_seqno_ = 0;
  std::uint32_t recv_seqno_ = 0;
};

}  // namespace

std::unique_ptr<FrameCodec> make_full_codec(Role role, const CodecOptions& options) {
  return std::make_unique<FullCodec>(role, options);
}

}  // namespace mtp::transport
