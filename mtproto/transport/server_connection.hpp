#pragma once
// Server side (the test DC): wraps an accepted socket; the transport is detected from the client's
// first bytes during the first receive(), then send/receive work as for a client Connection.
#include "transport/stream.hpp"

namespace mtp::transport {

class ServerConnection : public PacketStream {
 public:
  explicit ServerConnection(asio::ip::tcp::socket socket, const ServerTransportOptions& options = {})
      : PacketStream(std::move(socket), TransportCodec::server(options)) {}

  // Known after the first successful receive().
  std::optional<TransportKind> transport() const { return codec().kind(); }
  bool obfuscated() const { return codec().obfuscated(); }
};

}  // namespace mtp::transport
