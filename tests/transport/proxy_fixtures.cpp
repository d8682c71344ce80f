#include "proxy_fixtures.hpp"

#include <openssl/evp.h>

#include <asio/co_spawn.hpp>
#include <asio/connect.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/read.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

namespace mtp::transport::test {

using asio::experimental::as_tuple;
using asio::use_awaitable;
using asio::ip::tcp;

namespace {

std::string base64(const std::string& in) {
  std::string out(4 * ((in.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                          reinterpret_cast<const unsigned char*>(in.data()), static_cast<int>(in.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

asio::awaitable<bool> read_exact(tcp::socket& s, void* data, std::size_t n) {
  auto [ec, got] = co_await asio::async_read(s, asio::buffer(data, n), as_tuple(use_awaitable));
  co_return !ec;
}

asio::awaitable<bool> write_all(tcp::socket& s, const void* data, std::size_t n) {
  auto [ec, got] = co_await asio::async_write(s, asio::buffer(data, n), as_tuple(use_awaitable));
  co_return !ec;
}

}  // namespace

ProxyFixture::ProxyFixture(asio::any_io_executor executor, Kind kind, std::string username, std::string password)
    : executor_(executor),
      kind_(kind),
      username_(std::move(username)),
      password_(std::move(password)),
      acceptor_(executor, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {
  port_ = acceptor_.local_endpoint().port();
  asio::co_spawn(executor_, accept_loop(), asio::detached);
}

void ProxyFixture::stop() {
  asio::error_code ignored;
  acceptor_.close(ignored);
  for (auto& weak : sockets_) {
    if (auto s = weak.lock()) s->close(ignored);
  }
  sockets_.clear();
}

ProxyFixture::Socket ProxyFixture::track(Socket socket) {
  sockets_.push_back(socket);
  return socket;
}

asio::awaitable<void> ProxyFixture::accept_loop() {
  for (;;) {
    auto [ec, socket] = co_await acceptor_.async_accept(as_tuple(use_awaitable));
    if (ec) co_return;  // acceptor closed by stop()
    asio::co_spawn(executor_, serve(track(std::make_shared<tcp::socket>(std::move(socket)))), asio::detached);
  }
}

asio::awaitable<void> ProxyFixture::serve(Socket client) {
  std::string host;
  std::uint16_t port = 0;
  if (kind_ == Kind::kSilent) {
    char sink[256];
    for (;;) {  // swallow everything, answer nothing, until someone closes the socket
      auto [ec, n] = co_await client->async_read_some(asio::buffer(sink), as_tuple(use_awaitable));
      if (ec) co_return;
    }
  }
  bool ok = false;
  if (kind_ == Kind::kSocks5) {
    ok = co_await socks5(client, host, port);
  } else {
    ok = co_await http_connect(client, host, port);
  }
  if (!ok) {
    asio::error_code ignored;
    client->close(ignored);
    co_return;
  }
  co_return;
}

asio::awaitable<bool> ProxyFixture::socks5(Socket client, std::string& host, std::uint16_t& port) {
  std::uint8_t head[2];
  if (!co_await read_exact(*client, head, 2) || head[0] != 5) co_return false;
  std::vector<std::uint8_t> methods(head[1]);
  if (!co_await read_exact(*client, methods.data(), methods.size())) co_return false;
  const bool need_auth = !username_.empty();
  const std::uint8_t wanted = need_auth ? 0x02 : 0x00;
  if (std::find(methods.begin(), methods.end(), wanted) == methods.end()) {
    const std::uint8_t refuse[2] = {5, 0xFF};
    co_await write_all(*client, refuse, 2);
    ++auth_failures_;
    co_return false;
  }
  const std::uint8_t choice[2] = {5, wanted};
  if (!co_await write_all(*client, choice, 2)) co_return false;
  if (need_auth) {
    std::uint8_t ver_len[2];
    if (!co_await read_exact(*client, ver_len, 2)) co_return false;
    std::string user(ver_len[1], '\0');
    if (!co_await read_exact(*client, user.data(), user.size())) co_return false;
    std::uint8_t plen;
    if (!co_await read_exact(*client, &plen, 1)) co_return false;
    std::string pass(plen, '\0');
    if (!co_await read_exact(*client, pass.data(), pass.size())) co_return false;
    const bool good = user == username_ && pass == password_;
    const std::uint8_t status[2] = {1, static_cast<std::uint8_t>(good ? 0 : 1)};
    co_await write_all(*client, status, 2);
    if (!good) {
      ++auth_failures_;
      co_return false;
    }
  }
  std::uint8_t req[4];
  if (!co_await read_exact(*client, req, 4) || req[1] != 1) co_return false;
  if (req[3] == 1 || req[3] == 4) {
    std::vector<std::uint8_t> raw(req[3] == 1 ? 4 : 16);
    if (!co_await read_exact(*client, raw.data(), raw.size())) co_return false;
    if (raw.size() == 4) {
      host = asio::ip::address_v4({raw[0], raw[1], raw[2], raw[3]}).to_string();
    } else {
      asio::ip::address_v6::bytes_type b;
      std::copy(raw.begin(), raw.end(), b.begin());
      host = asio::ip::address_v6(b).to_string();
    }
  } else if (req[3] == 3) {
    std::uint8_t n;
    if (!co_await read_exact(*client, &n, 1)) co_return false;
    host.assign(n, '\0');
    if (!co_await read_exact(*client, host.data(), n)) co_return false;
  } else {
    co_return false;
  }
  std::uint8_t p[2];
  if (!co_await read_exact(*client, p, 2)) co_return false;
  port = static_cast<std::uint16_t>(p[0] << 8 | p[1]);
  last_host_ = host;

  auto upstream = track(std::make_shared<tcp::socket>(executor_));
  tcp::resolver resolver(executor_);
  auto [rec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), as_tuple(use_awaitable));
  bool connected = false;
  if (!rec) {
    auto [cec, ep] = co_await asio::async_connect(*upstream, endpoints, as_tuple(use_awaitable));
    connected = !cec;
  }
  const std::uint8_t reply[10] = {5, static_cast<std::uint8_t>(connected ? 0 : 5), 0, 1, 127, 0, 0, 1, 0, 0};
  if (!co_await write_all(*client, reply, sizeof reply) || !connected) co_return false;
  ++tunnels_;
  asio::co_spawn(executor_, pipe(client, upstream), asio::detached);
  asio::co_spawn(executor_, pipe(upstream, client), asio::detached);
  co_return true;
}

asio::awaitable<bool> ProxyFixture::http_connect(Socket client, std::string& host, std::uint16_t& port) {
  std::string request;
  char chunk[512];
  while (request.find("\r\n\r\n") == std::string::npos) {
    auto [ec, n] = co_await client->async_read_some(asio::buffer(chunk), as_tuple(use_awaitable));
    if (ec || request.size() > 8192) co_return false;
    request.append(chunk, n);
  }
  // "CONNECT host:port HTTP/1.1"
  const std::size_t sp1 = request.find(' '), sp2 = request.find(' ', sp1 + 1);
  if (request.compare(0, 8, "CONNECT ") != 0 || sp2 == std::string::npos) co_return false;
  std::string target = request.substr(sp1 + 1, sp2 - sp1 - 1);
  const std::size_t colon = target.rfind(':');
  host = target.substr(0, colon);
  if (host.size() > 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  port = static_cast<std::uint16_t>(std::stoi(target.substr(colon + 1)));
  last_host_ = host;

  if (!username_.empty()) {
    std::string expected = "Proxy-Authorization: Basic ";
    expected.append(base64(username_ + ":" + password_)).append("\r\n");
    if (request.find(expected) == std::string::npos) {
      static const std::string denied =
          "HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic realm=\"test\"\r\n\r\n";
      co_await write_all(*client, denied.data(), denied.size());
      ++auth_failures_;
      co_return false;
    }
  }
  auto upstream = track(std::make_shared<tcp::socket>(executor_));
  tcp::resolver resolver(executor_);
  auto [rec, endpoints] = co_await resolver.async_resolve(host, std::to_string(port), as_tuple(use_awaitable));
  bool connected = false;
  if (!rec) {
    auto [cec, ep] = co_await asio::async_connect(*upstream, endpoints, as_tuple(use_awaitable));
    connected = !cec;
  }
  const std::string reply = connected ? "HTTP/1.1 200 Connection established\r\n\r\n"
                                      : "HTTP/1.1 502 Bad Gateway\r\n\r\n";
  if (!co_await write_all(*client, reply.data(), reply.size()) || !connected) co_return false;
  ++tunnels_;
  asio::co_spawn(executor_, pipe(client, upstream), asio::detached);
  asio::co_spawn(executor_, pipe(upstream, client), asio::detached);
  co_return true;
}

// Copies one direction until it ends, then closes both sides (the other pipe ends with it).
asio::awaitable<void> ProxyFixture::pipe(Socket from, Socket to) {
  std::vector<std::uint8_t> buffer(64 * 1024);
  for (;;) {
    auto [ec, n] = co_await from->async_read_some(asio::buffer(buffer), as_tuple(use_awaitable));
    if (ec) break;
    if (!co_await write_all(*to, buffer.data(), n)) break;
  }
  asio::error_code ignored;
  from->close(ignored);
  to->close(ignored);
}

}  // namespace mtp::transport::test
