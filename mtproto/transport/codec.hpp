#pragma once
// The framing codec interface: encodes frames in place and parses packets from the front of a byte
// range. No I/O and no buffering here (see TransportCodec for the per-connection state machine).
#include <cstddef>
#include <cstdint>
#include <memory>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "transport/frame.hpp"
#include "transport/packet.hpp"
#include "transport/random.hpp"

namespace mtp::transport {

struct CodecOptions {
  std::size_t max_packet = kDefaultMaxPacket;
  RandomFill random;  // padded intermediate only; system_random() when empty
};

// What parsing the front of the buffered bytes gave.
struct ParseStep {
  std::size_t consumed = 0;  // 0: no complete packet yet
  std::size_t needed = 0;    // when consumed == 0: total bytes the next packet needs (0 = unknown)
  Packet packet;
};

class FrameCodec {
 public:
  virtual ~FrameCodec() = default;
  virtual TransportKind kind() const = 0;

  // Writes the header (and trailer) around frame.wire(). quick_ack asks the server for a quick ack
  // (client role; abridged and intermediate only).
  virtual Status encode(Frame& frame, bool quick_ack) = 0;
  // Server role: turns `frame` into a quick-ack packet carrying token.
  virtual Status encode_quick_ack(Frame& frame, std::uint32_t token) = 0;
  // Parses at most one packet from the front of `buffered`. Errors are final: the stream is broken.
  virtual Result<ParseStep> parse(MutableByteSpan buffered) = 0;
};

// The bytes a client sends once before its first packet when not obfuscated
// (EF / EEEEEEEE / DDDDDDDD; nothing for full).
ByteSpan plain_marker(TransportKind kind);
// The 4-byte protocol tag at offset 56 of an obfuscation header (full has none: throws).
std::uint32_t obfuscation_tag(TransportKind kind);

std::unique_ptr<FrameCodec> make_frame_codec(TransportKind kind, Role role, CodecOptions options);
std::unique_ptr<FrameCodec> make_abridged_codec(Role role, const CodecOptions& options);
std::unique_ptr<FrameCodec> make_intermediate_codec(Role role, const CodecOptions& options);
std::unique_ptr<FrameCodec> make_padded_intermediate_codec(Role role, const CodecOptions& options);
std::unique_ptr<FrameCodec> make_full_codec(Role role, const CodecOptions& options);

// Little-endian helpers used by the codecs.
namespace wire {
inline std::uint32_t load_u32le(const std::uint8_t* p) {
  return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
         std::uint32_t{p[3]} << 24;
}
inline void store_u32le(std::uint8_t* p, std::uint32_t v) {
  for (int i = 0; i < 4; ++i) p[i] = static_cast<std::uint8_t>(v >> (8 * i));
}
// A payload that is exactly one negative int32 is how servers report transport errors.
inline bool is_transport_error(ByteSpan payload) {
  return payload.size() == 4 && static_cast<std::int32_t>(load_u32le(payload.data())) < 0;
}
Error malformed(const char* type, std::string detail);
Error too_large(std::size_t length, std::size_t limit);
}  // namespace wire

}  // namespace mtp::transport
