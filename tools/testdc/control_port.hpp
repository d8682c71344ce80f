#pragma once
// --control-port: a TCP listener for control_commands.hpp's line protocol. It runs on the server's
// io_context, the same single thread as every API handler, so a command changes the world between
// two calls and never under one.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>
#include <asio/ip/tcp.hpp>

#include <memory>
#include <string>

#include "core/result.hpp"
#include "server_state.hpp"

namespace testdc {

class ControlPort {
 public:
  ControlPort(asio::any_io_executor executor, ServerState& state) : executor_(std::move(executor)), state_(state) {}

  // Listens on host:port (0: an ephemeral port) and returns the port bound.
  mtp::Result<int> start(const std::string& host, int port);
  void stop();

 private:
  asio::awaitable<void> accept_loop();
  asio::awaitable<void> serve(asio::ip::tcp::socket socket);

  asio::any_io_executor executor_;
  ServerState& state_;
  std::shared_ptr<asio::ip::tcp::acceptor> acceptor_;
};

}  // namespace testdc
