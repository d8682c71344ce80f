#pragma once
// Client side: opens a TCP connection (directly or through a SOCKS5 / HTTP CONNECT proxy) within a
// timeout and speaks the chosen MTProto transport over it.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <chrono>
#include <string>

#include "transport/proxy.hpp"
#include "transport/stream.hpp"

namespace mtp::transport {

struct ConnectOptions {
  std::string host;  // IPv4 or IPv6 literal (brackets allowed) or a host name
  std::uint16_t port = 443;
  TransportKind transport = TransportKind::kIntermediate;
  bool obfuscated = false;
  Bytes mtproxy_secret;    // 16 bytes; implies obfuscation
  std::int16_t dc_id = 0;  // MTProxy: DC to reach
  ProxyConfig proxy;
  std::chrono::milliseconds timeout{10'000};  // name resolution + TCP connect + proxy handshake
  std::size_t max_packet = kDefaultMaxPacket;
  RandomFill random;  // system_random() when empty
};

class Connection : public PacketStream {
 public:
  // Errors: kErrTimeout (CONNECT_TIMEOUT), kErrNetwork (CONNECT_FAILED, RESOLVE_FAILED, PROXY_*),
  // kErrInvalidArgument for bad options.
  static asio::awaitable<Result<Connection>> connect(asio::any_io_executor executor, ConnectOptions options);

 private:
  using PacketStream::PacketStream;
};

}  // namespace mtp::transport
