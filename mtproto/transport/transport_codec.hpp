#pragma once
// One connection's transport, without I/O: framing + optional obfuscation + the receive buffer.
// The Asio layer (stream.hpp) reads straight into prepare(), commits, and pulls packets with next();
// tests and fuzzers drive the very same object with feed().
#include <cstddef>
#include <memory>
#include <optional>

#include "core/bytes.hpp"
#include "core/result.hpp"
#include "transport/codec.hpp"
#include "transport/detect.hpp"
#include "transport/obfuscation.hpp"

namespace mtp::transport {

struct ClientTransportOptions {
  TransportKind kind = TransportKind::kIntermediate;
  bool obfuscated = false;
  Bytes secret;            // MTProxy secret (16 bytes), implies obfuscation
  std::int16_t dc_id = 0;  // MTProxy: the DC to reach
  std::size_t max_packet = kDefaultMaxPacket;
  RandomFill random;  // system_random() when empty
};

struct ServerTransportOptions {
  Bytes secret;
  std::size_t max_packet = kDefaultMaxPacket;
  RandomFill random;
};

class TransportCodec {
 public:
  static Result<TransportCodec> client(const ClientTransportOptions& options);
  // The framing is detected from the first bytes received (see detect.hpp).
  static TransportCodec server(const ServerTransportOptions& options);

  TransportCodec(TransportCodec&&) noexcept;
  TransportCodec& operator=(TransportCodec&&) noexcept;
  ~TransportCodec();

  Role role() const { return role_; }
  // Known from the start for clients; for servers once next() has seen enough bytes.
  std::optional<TransportKind> kind() const;
  bool obfuscated() const { return obfuscation_.has_value(); }
  std::int16_t dc_id() const { return dc_id_; }

  // Client: what must precede the first frame on the wire (plain marker or obfuscation header).
  // Returned once; empty afterwards.
  Bytes take_preamble();

  // Frames `frame` in place (header into its headroom, trailer into its tailroom) and encrypts it
  // when obfuscated. Frames must be sent in the order they were encoded.
  Status encode(Frame& frame, bool quick_ack = false);
  // Server: turns `frame` into a quick-ack reply for token.
  Status encode_quick_ack(Frame& frame, std::uint32_t token);

  // Receiving. prepare() returns writable space of at least min_size bytes (more when the packet
  // being assembled is known to be larger); write into it, then commit() what was written.
  // Both invalidate packet views returned earlier.
  MutableByteSpan prepare(std::size_t min_size);
  void commit(std::size_t n);
  void feed(ByteSpan data);  // prepare + copy + commit
  // The next complete packet, nullopt when more bytes are needed. Errors are sticky.
  Result<std::optional<Packet>> next();
  // Received bytes not yet returned as packets (non-zero on close means the peer cut a packet).
  std::size_t buffered() const { return write_pos_ - read_pos_; }

 private:
  TransportCodec(Role role, std::size_t max_packet, RandomFill random);
  Status detect();

  Role role_;
  std::size_t max_packet_;
  RandomFill random_;
  Bytes server_secret_;
  std::unique_ptr<FrameCodec> framing_;  // null on the server until detected
  std::optional<Obfuscation> obfuscation_;
  std::int16_t dc_id_ = 0;
  Bytes preamble_;
  std::optional<Error> error_;

  std::unique_ptr<std::uint8_t[]> buffer_;  // not value-initialised: it is overwritten by reads
  std::size_t capacity_ = 0;
  std::size_t read_pos_ = 0;
  std::size_t write_pos_ = 0;
  std::size_t needed_ = 0;  // bytes from read_pos_ the pending packet needs in total
};

}  // namespace mtp::transport
