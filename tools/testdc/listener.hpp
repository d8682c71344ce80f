#pragma once
// The test DC's listening side: one acceptor per DC (port_base + k) and per media-only address
// (port_base + 100 + k), each spawning a ClientConnection per accepted socket. Used by the
// tgget-testdc program and, in-process, by the protocol tests.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <list>
#include <memory>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "server_core.hpp"

namespace testdc {

class ClientConnection;

struct ListenOptions {
  std::string host = "127.0.0.1";
  int port_base = 0;  // 0: every address on an ephemeral port; otherwise DC k on port_base + k
};

class Listeners {
 public:
  Listeners(asio::any_io_executor executor, ServerCore& core) : executor_(std::move(executor)), core_(core) {}
  ~Listeners();

  // Binds every address of the world's DCs and publishes them in ServerState::addresses(); starts
  // accepting. Ports from the manifest win over port_base.
  mtp::Status start(const ListenOptions& options);
  // Closes the acceptors and every open connection.
  void stop();

  const std::vector<DcAddress>& addresses() const { return addresses_; }
  // The main address of a DC (not media-only).
  const DcAddress* main_address(int dc) const;

 private:
  asio::awaitable<void> accept_loop(std::shared_ptr<asio::ip::tcp::acceptor> acceptor, DcAddress address);

  asio::any_io_executor executor_;
  ServerCore& core_;
  std::vector<std::shared_ptr<asio::ip::tcp::acceptor>> acceptors_;
  std::vector<DcAddress> addresses_;
  std::list<std::weak_ptr<ClientConnection>> connections_;
};

}  // namespace testdc
