#pragma once
// The one Asio layer: a TCP socket driven by a TransportCodec. Shared by the client Connection and
// the server-side ServerConnection. At most one send and one receive may be in flight at a time
// (a session typically has one writer loop and one reader loop).
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <chrono>
#include <optional>

#include "core/result.hpp"
#include "transport/frame.hpp"
#include "transport/transport_codec.hpp"

namespace mtp::transport {

class PacketStream {
 public:
  // Bytes asked of the kernel per read at least; more when a large packet is being assembled, so
  // a 1 MiB answer arrives in a few reads and several small packets come out of one read.
  static constexpr std::size_t kMinRead = 256 * 1024;

  PacketStream(asio::ip::tcp::socket socket, TransportCodec codec, Bytes already_received = {});
  PacketStream(PacketStream&&) noexcept = default;
  PacketStream& operator=(PacketStream&&) noexcept = default;

  // Encodes `frame` in place (see Frame) and writes it; the first send also carries the preamble,
  // gathered with the frame rather than copied into it.
  asio::awaitable<Status> send(Frame& frame, bool quick_ack = false);
  // Server role.
  asio::awaitable<Status> send_quick_ack(std::uint32_t token);
  asio::awaitable<Status> send_transport_error(std::int32_t code);

  // The next packet. Its payload view stays valid until the next receive(). A timeout is a
  // kErrTimeout error and leaves the stream usable; any other error means the connection is done.
  asio::awaitable<Result<Packet>> receive(std::optional<std::chrono::milliseconds> timeout = std::nullopt);

  void close();
  bool is_open() const { return socket_.is_open(); }
  const TransportCodec& codec() const { return codec_; }
  asio::ip::tcp::socket& socket() { return socket_; }

 private:
  asio::awaitable<Status> write(ByteSpan wire);

  asio::ip::tcp::socket socket_;
  TransportCodec codec_;
};

}  // namespace mtp::transport
