#include "transport/connection.hpp"

#include <asio/connect.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <vector>

namespace mtp::transport {
namespace {

using asio::experimental::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

// "[::1]" -> "::1": brackets are URL syntax, not part of the address.
std::string strip_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::string(host);
}

std::string endpoint_text(std::string_view host, std::uint16_t port) {
  std::string out(host);
  out.append(":").append(std::to_string(port));
  return out;
}

asio::awaitable<Status> open_socket(tcp::socket& socket, const std::string& host, std::uint16_t port) {
  std::vector<tcp::endpoint> endpoints;
  asio::error_code ec;
  const auto address = asio::ip::make_address(host, ec);
  if (!ec) {
    endpoints.emplace_back(address, port);  // literals skip the resolver (and its worker thread)
  } else {
    tcp::resolver resolver(socket.get_executor());
    auto [rec, results] = co_await resolver.async_resolve(host, std::to_string(port), as_tuple(use_awaitable));
    if (rec) {
      std::string detail = endpoint_text(host, port);
      detail.append(": ").append(rec.message());
      co_return detail::network_error("RESOLVE_FAILED", std::move(detail));
    }
    for (const auto& entry : results) endpoints.push_back(entry.endpoint());
  }
  auto [cec, endpoint] = co_await asio::async_connect(socket, endpoints, as_tuple(use_awaitable));
  if (cec) {
    std::string detail = endpoint_text(host, port);
    detail.append(": ").append(cec.message());
    co_return detail::network_error("CONNECT_FAILED", std::move(detail));
  }
  socket.set_option(tcp::no_delay(true), ec);  // MTProto is request/response: no Nagle delays
  co_return Status{};
}

// TCP connect (to the proxy if there is one) and the proxy handshake; bytes the proxy sent past its
// reply go to `leftover`.
asio::awaitable<Status> establish(tcp::socket& socket, const ConnectOptions& options, Bytes& leftover) {
  const std::string target = strip_brackets(options.host);
  const ProxyConfig& proxy = options.proxy;
  if (proxy.type == ProxyConfig::Type::kNone) co_return co_await open_socket(socket, target, options.port);

  if (auto s = co_await open_socket(socket, strip_brackets(proxy.host), proxy.port); !s) co_return s;
  // Plain if/else, not ?: - GCC 12 mishandles temporaries of co_await inside conditional expressions.
  Result<Bytes> tunnel = Bytes{};
  if (proxy.type == ProxyConfig::Type::kSocks5) {
    tunnel = co_await socks5_handshake(socket, proxy, target, options.port);
  } else {
    tunnel = co_await http_connect_handshake(socket, proxy, target, options.port);
  }
  if (!tunnel) co_return std::move(tunnel).error();
  leftover = std::move(*tunnel);
  co_return Status{};
}

}  // namespace

asio::awaitable<Result<Connection>> Connection::connect(asio::any_io_executor executor, ConnectOptions options) {
  using namespace asio::experimental::awaitable_operators;
  if (options.host.empty() || options.port == 0) {
    co_return Error::local(kErrInvalidArgument, "CONNECT_BAD_ADDRESS", "host and port are required");
  }
  auto codec = TransportCodec::client({options.transport, options.obfuscated, options.mtproxy_secret,
                                       options.dc_id, options.max_packet, options.random});
  if (!codec) co_return std::move(codec).error();

  tcp::socket socket(executor);
  Bytes leftover;
  Status status;
  if (options.timeout.count() > 0) {
    asio::steady_timer timer(executor, options.timeout);
    // Whichever finishes first cancels the other; the group waits for both, so references stay valid.
    auto outcome = co_await (establish(socket, options, leftover) || timer.async_wait(as_tuple(use_awaitable)));
    if (outcome.index() == 1) {
      asio::error_code ignored;
      socket.close(ignored);
      std::string detail = endpoint_text(options.host, options.port);
      detail.append(": no connection within ").append(std::to_string(options.timeout.count())).append(" ms");
      co_return Error::local(kErrTimeout, "CONNECT_TIMEOUT", std::move(detail));
    }
    status = std::move(std::get<0>(outcome));
  } else {
    status = co_await establish(socket, options, leftover);
  }
  if (!status) co_return std::move(status).error();
  co_return Connection(std::move(socket), std::move(*codec), std::move(leftover));
}

}  // namespace mtp::transport
