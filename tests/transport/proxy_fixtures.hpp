#pragma once
// Small in-test proxies on 127.0.0.1 ephemeral ports: SOCKS5 (no auth or RFC 1929 user/password),
// HTTP CONNECT (optional Basic auth), and a "silent" one that accepts and never answers. stop()
// closes the acceptor and every socket the fixture opened, so a test leaves nothing running.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>
#include <memory>
#include <string>
#include <vector>

namespace mtp::transport::test {

class ProxyFixture {
 public:
  enum class Kind { kSocks5, kHttpConnect, kSilent };

  ProxyFixture(asio::any_io_executor executor, Kind kind, std::string username = {}, std::string password = {});
  ~ProxyFixture() { stop(); }
  std::uint16_t port() const { return port_; }
  void stop();

  int tunnels_opened() const { return tunnels_; }
  int auth_failures() const { return auth_failures_; }
  const std::string& last_target_host() const { return last_host_; }

 private:
  using Socket = std::shared_ptr<asio::ip::tcp::socket>;
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(Socket client);
  asio::awaitable<bool> socks5(Socket client, std::string& host, std::uint16_t& port);
  asio::awaitable<bool> http_connect(Socket client, std::string& host, std::uint16_t& port);
  asio::awaitable<void> pipe(Socket from, Socket to);
  Socket track(Socket socket);

  asio::any_io_executor executor_;
  Kind kind_;
  std::string username_, password_;
  asio::ip::tcp::acceptor acceptor_;
  std::uint16_t port_ = 0;
  std::vector<std::weak_ptr<asio::ip::tcp::socket>> sockets_;
  int tunnels_ = 0;
  int auth_failures_ = 0;
  std::string last_host_;
};

}  // namespace mtp::transport::test
