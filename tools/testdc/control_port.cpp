#include "control_port.hpp"

#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/read_until.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>

#include "api_state.hpp"
#include "control_commands.hpp"

namespace testdc {

namespace {
constexpr std::size_t kMaxLine = 64 * 1024;  // a line longer than this is not a command
}

mtp::Result<int> ControlPort::start(const std::string& host, int port) {
  std::error_code ec;
  auto address = asio::ip::make_address(host, ec);
  if (ec) return mtp::Error::local(mtp::kErrInvalidArgument, "BAD_ADDRESS", host + ": " + ec.message());
  acceptor_ = std::make_shared<asio::ip::tcp::acceptor>(executor_);
  const asio::ip::tcp::endpoint endpoint(address, static_cast<unsigned short>(port));
  acceptor_->open(endpoint.protocol(), ec);
  if (!ec) acceptor_->set_option(asio::socket_base::reuse_address(true), ec);
  if (!ec) acceptor_->bind(endpoint, ec);
  if (!ec) acceptor_->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return mtp::Error::local(mtp::kErrIo, "LISTEN_FAILED", "control port " + std::to_string(port) + ": " + ec.message());
  const int bound = acceptor_->local_endpoint().port();
  asio::co_spawn(executor_, accept_loop(), asio::detached);
  return bound;
}

void ControlPort::stop() {
  if (acceptor_) {
    std::error_code ignored;
    acceptor_->close(ignored);
  }
}

asio::awaitable<void> ControlPort::accept_loop() {
  auto acceptor = acceptor_;  // keeps it alive while this loop runs
  for (;;) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // closed by stop()
    asio::co_spawn(executor_, serve(std::move(socket)), asio::detached);
  }
}

asio::awaitable<void> ControlPort::serve(asio::ip::tcp::socket socket) {
  std::string buffer;
  for (;;) {
    auto [ec, n] = co_await asio::async_read_until(socket, asio::dynamic_buffer(buffer, kMaxLine), '\n',
                                                   asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) co_return;  // the client is done (or sent an endless line)
    const std::string line = buffer.substr(0, n - 1);
    buffer.erase(0, n);
    // No co_await between reading the clock and changing the world: handlers see all or nothing.
    std::string answer = run_control_command(state_.edit_world(), line, state_.api().now_s());
    // In the RPC log as method "control": the first word of the answer as result, the command as detail.
    state_.log().record(RpcRecord{0, 0, 0, "control", line.size(), answer.size(), answer.substr(0, answer.find(' ')), line});
    answer.push_back('\n');
    auto [wec, written] = co_await asio::async_write(socket, asio::buffer(answer), asio::experimental::as_tuple(asio::use_awaitable));
    (void)written;
    if (wec) co_return;
  }
}

}  // namespace testdc
