#pragma once
// Client-side proxy handshakes on an already connected socket: SOCKS5 (RFC 1928, no auth or
// username/password per RFC 1929) and HTTP CONNECT (optional Basic auth). After success the socket
// is a tunnel to host:port.
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <cstdint>
#include <string>
#include <string_view>

#include "core/bytes.hpp"
#include "core/result.hpp"

namespace mtp::transport {

struct ProxyConfig {
  enum class Type { kNone, kSocks5, kHttpConnect };
  Type type = Type::kNone;
  std::string host;
  std::uint16_t port = 0;
  std::string username;  // empty: no authentication
  std::string password;
};

// Returns the bytes the proxy sent after its reply (they belong to the tunnelled stream; normally
// none, since MTProto servers never speak first). Errors: PROXY_AUTH_FAILED, PROXY_REFUSED,
// PROXY_PROTOCOL (kErrNetwork), or the socket's own failure.
asio::awaitable<Result<Bytes>> socks5_handshake(asio::ip::tcp::socket& socket, const ProxyConfig& proxy,
                                               std::string_view host, std::uint16_t port);
asio::awaitable<Result<Bytes>> http_connect_handshake(asio::ip::tcp::socket& socket, const ProxyConfig& proxy,
                                                     std::string_view host, std::uint16_t port);

namespace detail {
Error network_error(std::string type, std::string detail);
// String concatenation without GCC 12's -Wrestrict false positive on `"literal" + std::string&&`.
template <class... Parts>
std::string concat(const Parts&... parts) {
  std::string out;
  (out.append(std::string_view(parts)), ...);
  return out;
}
}  // namespace detail

}  // namespace mtp::transport
