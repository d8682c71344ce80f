// HTTP CONNECT tunnelling (RFC 9110 §9.3.6) with optional Basic proxy authentication.
#include <openssl/evp.h>

#include <asio/experimental/as_tuple.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <string>

#include "transport/proxy.hpp"

namespace mtp::transport {
namespace {

using asio::experimental::as_tuple;
using asio::use_awaitable;

// A proxy's reply header is small; anything larger is not a proxy we can talk to.
constexpr std::size_t kMaxReplyHeader = 16 * 1024;

std::string base64(std::string_view in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

std::string authority(std::string_view host, std::uint16_t port) {
  std::string out;
  const bool ipv6 = host.find(':') != std::string_view::npos;
  if (ipv6) out.push_back('[');
  out.append(host);
  if (ipv6) out.push_back(']');
  out.push_back(':');
  out.append(std::to_string(port));
  return out;
}

}  // namespace

namespace detail {
Error network_error(std::string type, std::string detail) {
  return Error::local(kErrNetwork, std::move(type), std::move(detail));
}
}  // namespace detail

asio::awaitable<Result<Bytes>> http_connect_handshake(asio::ip::tcp::socket& socket, const ProxyConfig& proxy,
                                                     std::string_view host, std::uint16_t port) {
  const std::string target = authority(host, port);
  std::string request = "CONNECT ";
  request.append(target).append(" HTTP/1.1\r\nHost: ").append(target).append("\r\n");
  if (!proxy.username.empty() || !proxy.password.empty()) {
    std::string credentials = proxy.username;
    credentials.append(":").append(proxy.password);
    request.append("Proxy-Authorization: Basic ").append(base64(credentials)).append("\r\n");
  }
  request.append("\r\n");
  {
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(request), as_tuple(use_awaitable));
    if (ec) co_return detail::network_error("PROXY_IO", detail::concat("writing to the HTTP proxy: ", ec.message()));
  }

  std::string reply;
  std::size_t header_end = std::string::npos;
  char chunk[1024];
  while (header_end == std::string::npos) {
    auto [ec, n] = co_await socket.async_read_some(asio::buffer(chunk), as_tuple(use_awaitable));
    if (ec) co_return detail::network_error("PROXY_IO", detail::concat("reading the HTTP proxy's reply: ", ec.message()));
    reply.append(chunk, n);
    header_end = reply.find("\r\n\r\n");
    if (header_end == std::string::npos && reply.size() > kMaxReplyHeader) {
      co_return detail::network_error("PROXY_PROTOCOL", "HTTP proxy reply header too long");
    }
  }
  // Status line: "HTTP/1.x 200 Reason".
  const std::string status_line = reply.substr(0, reply.find("\r\n"));
  if (status_line.rfind("HTTP/1.", 0) != 0 || status_line.size() < 12) {
    co_return detail::network_error("PROXY_PROTOCOL", detail::concat("not an HTTP proxy reply: ", status_line.substr(0, 64)));
  }
  const std::string code = status_line.substr(9, 3);
  if (code == "407") {
    co_return detail::network_error("PROXY_AUTH_FAILED", detail::concat("HTTP proxy requires valid credentials (", status_line, ")"));
  }
  if (code[0] != '2') co_return detail::network_error("PROXY_REFUSED", detail::concat("HTTP proxy: ", status_line));
  const std::size_t body = header_end + 4;
  co_return Bytes(reply.begin() + static_cast<std::ptrdiff_t>(body), reply.end());
}

}  // namespace mtp::transport
