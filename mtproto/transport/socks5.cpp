// SOCKS5 CONNECT (RFC 1928) with optional username/password authentication (RFC 1929).
#include <asio/experimental/as_tuple.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "transport/proxy.hpp"

namespace mtp::transport {
namespace {

using asio::experimental::as_tuple;
using asio::use_awaitable;

constexpr std::uint8_t kVersion = 5;
constexpr std::uint8_t kNoAuth = 0x00;
constexpr std::uint8_t kUserPass = 0x02;
constexpr std::uint8_t kNoAcceptable = 0xFF;

std::string reply_text(std::uint8_t code) {
  switch (code) {
    case 1: return "general SOCKS server failure";
    case 2: return "connection not allowed by ruleset";
    case 3: return "network unreachable";
    case 4: return "host unreachable";
    case 5: return "connection refused";
    case 6: return "TTL expired";
    case 7: return "command not supported";
    case 8: return "address type not supported";
  }
  return detail::concat("unknown SOCKS5 reply ", std::to_string(code));
}

// Exchanges one message: writes `out` (if any), then reads exactly in.size() bytes.
asio::awaitable<Status> exchange(asio::ip::tcp::socket& socket, ByteSpan out, MutableByteSpan in) {
  if (!out.empty()) {
    auto [ec, n] = co_await asio::async_write(socket, asio::buffer(out.data(), out.size()), as_tuple(use_awaitable));
    if (ec) co_return detail::network_error("PROXY_IO", detail::concat("writing to the SOCKS5 proxy: ", ec.message()));
  }
  if (!in.empty()) {
    auto [ec, n] = co_await asio::async_read(socket, asio::buffer(in.data(), in.size()), as_tuple(use_awaitable));
    if (ec) co_return detail::network_error("PROXY_IO", detail::concat("reading from the SOCKS5 proxy: ", ec.message()));
  }
  co_return Status{};
}

Result<Bytes> connect_request(std::string_view host, std::uint16_t port) {
  Bytes req{kVersion, 0x01 /* CONNECT */, 0x00};
  asio::error_code ec;
  auto address = asio::ip::make_address(std::string(host), ec);
  if (!ec && address.is_v4()) {
    req.push_back(0x01);
    auto b = address.to_v4().to_bytes();
    req.insert(req.end(), b.begin(), b.end());
  } else if (!ec && address.is_v6()) {
    req.push_back(0x04);
    auto b = address.to_v6().to_bytes();
    req.insert(req.end(), b.begin(), b.end());
  } else {
    if (host.empty() || host.size() > 255) {
      return Error::local(kErrInvalidArgument, "PROXY_BAD_TARGET", "host name length must be 1..255");
    }
    req.push_back(0x03);  // the proxy resolves the name (no DNS leak on our side)
    req.push_back(static_cast<std::uint8_t>(host.size()));
    req.insert(req.end(), host.begin(), host.end());
  }
  req.push_back(static_cast<std::uint8_t>(port >> 8));
  req.push_back(static_cast<std::uint8_t>(port));
  return req;
}

}  // namespace

asio::awaitable<Result<Bytes>> socks5_handshake(asio::ip::tcp::socket& socket, const ProxyConfig& proxy,
                                               std::string_view host, std::uint16_t port) {
  const bool with_auth = !proxy.username.empty() || !proxy.password.empty();
  if (proxy.username.size() > 255 || proxy.password.size() > 255) {
    co_return Error::local(kErrInvalidArgument, "PROXY_BAD_CREDENTIALS", "SOCKS5 credentials are at most 255 bytes");
  }
  auto request = connect_request(host, port);
  if (!request) co_return std::move(request).error();

  // Offer user/password only when we have credentials, so an open proxy picks "no auth".
  Bytes greeting = with_auth ? Bytes{kVersion, 2, kNoAuth, kUserPass} : Bytes{kVersion, 1, kNoAuth};
  std::uint8_t choice[2];
  if (auto s = co_await exchange(socket, greeting, choice); !s) co_return std::move(s).error();
  if (choice[0] != kVersion) {
    co_return detail::network_error("PROXY_PROTOCOL", detail::concat("not a SOCKS5 proxy (version byte ",
                                                                        std::to_string(choice[0]), ")"));
  }
  if (choice[1] == kNoAcceptable) {
    co_return detail::network_error("PROXY_AUTH_FAILED", with_auth ? "SOCKS5 proxy rejected our authentication methods"
                                                                   : "SOCKS5 proxy requires a username and password");
  }
  if (choice[1] == kUserPass) {
    if (!with_auth) co_return detail::network_error("PROXY_PROTOCOL", "SOCKS5 proxy chose a method we did not offer");
    Bytes auth{0x01, static_cast<std::uint8_t>(proxy.username.size())};
    auth.insert(auth.end(), proxy.username.begin(), proxy.username.end());
    auth.push_back(static_cast<std::uint8_t>(proxy.password.size()));
    auth.insert(auth.end(), proxy.password.begin(), proxy.password.end());
    std::uint8_t status[2];
    if (auto s = co_await exchange(socket, auth, status); !s) co_return std::move(s).error();
    if (status[1] != 0x00) {
      co_return detail::network_error("PROXY_AUTH_FAILED", "SOCKS5 proxy rejected the username/password");
    }
  } else if (choice[1] != kNoAuth) {
    co_return detail::network_error("PROXY_PROTOCOL", detail::concat("SOCKS5 proxy chose an unsupported method ",
                                                                        std::to_string(choice[1])));
  }

  std::uint8_t reply[4];
  if (auto s = co_await exchange(socket, *request, reply); !s) co_return std::move(s).error();
  if (reply[0] != kVersion) co_return detail::network_error("PROXY_PROTOCOL", "bad SOCKS5 reply version");
  if (reply[1] != 0x00) {
    co_return detail::network_error("PROXY_REFUSED", detail::concat("SOCKS5 proxy: ", reply_text(reply[1])));
  }
  // Skip the bound address: 4 (IPv4), 16 (IPv6) or 1 + n (domain) bytes, then the 2-byte port.
  std::size_t rest = 0;
  if (reply[3] == 0x01) {
    rest = 4 + 2;
  } else if (reply[3] == 0x04) {
    rest = 16 + 2;
  } else if (reply[3] == 0x03) {
    std::uint8_t n;
    if (auto s = co_await exchange(socket, {}, MutableByteSpan(&n, 1)); !s) co_return std::move(s).error();
    rest = std::size_t{n} + 2;
  } else {
    co_return detail::network_error("PROXY_PROTOCOL", "bad SOCKS5 address type in reply");
  }
  Bytes bound(rest);
  if (auto s = co_await exchange(socket, {}, bound); !s) co_return std::move(s).error();
  co_return Bytes{};
}

}  // namespace mtp::transport
