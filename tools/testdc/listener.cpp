#include "listener.hpp"

#include <asio/experimental/as_tuple.hpp>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/use_awaitable.hpp>

#include "client_connection.hpp"

namespace testdc {

Listeners::~Listeners() { stop(); }

mtp::Status Listeners::start(const ListenOptions& options) {
  std::error_code ec;
  const auto ip = asio::ip::make_address(options.host, ec);
  if (ec) return mtp::Error::local(mtp::kErrInvalidArgument, "BAD_HOST", options.host);
  for (const auto& dc : core_.state().world().dcs) {
    struct Wanted {
      int port;
      bool media;
    };
    std::vector<Wanted> wanted;
    const int base = options.port_base;
    wanted.push_back({dc.port != 0 ? dc.port : (base != 0 ? base + dc.id : 0), false});
    if (dc.media_port) wanted.push_back({*dc.media_port != 0 ? *dc.media_port : (base != 0 ? base + 100 + dc.id : 0), true});
    for (const auto& w : wanted) {
      auto acceptor = std::make_shared<asio::ip::tcp::acceptor>(executor_);
      asio::ip::tcp::endpoint endpoint(ip, static_cast<std::uint16_t>(w.port));
      acceptor->open(endpoint.protocol(), ec);
      if (!ec) acceptor->set_option(asio::socket_base::reuse_address(true), ec);
      if (!ec) acceptor->bind(endpoint, ec);
      if (!ec) acceptor->listen(asio::socket_base::max_listen_connections, ec);
      if (ec) {
        return mtp::Error::local(mtp::kErrNetwork, "LISTEN_FAILED",
                                 options.host + ":" + std::to_string(w.port) + ": " + ec.message());
      }
      DcAddress address{dc.id, options.host, acceptor->local_endpoint().port(), w.media};
      addresses_.push_back(address);
      acceptors_.push_back(acceptor);
    }
  }
  core_.state().set_addresses(addresses_);
  for (std::size_t i = 0; i < acceptors_.size(); ++i) {
    asio::co_spawn(executor_, accept_loop(acceptors_[i], addresses_[i]), asio::detached);
  }
  return {};
}

const DcAddress* Listeners::main_address(int dc) const {
  for (const auto& a : addresses_) {
    if (a.dc == dc && !a.media_only) return &a;
  }
  return nullptr;
}

asio::awaitable<void> Listeners::accept_loop(std::shared_ptr<asio::ip::tcp::acceptor> acceptor, DcAddress address) {
  while (acceptor->is_open()) {
    auto [ec, socket] = co_await acceptor->async_accept(asio::experimental::as_tuple(asio::use_awaitable));
    if (ec) {
      if (ec == asio::error::operation_aborted || !acceptor->is_open()) co_return;
      continue;  // e.g. EMFILE: keep serving the connections we have
    }
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    auto connection = std::make_shared<ClientConnection>(core_, std::move(socket), address.dc, address.media_only);
    connections_.remove_if([](const auto& weak) { return weak.expired(); });
    connections_.push_back(connection);
    asio::co_spawn(executor_, [connection]() { return connection->run(); }, asio::detached);
  }
}

void Listeners::stop() {
  for (auto& acceptor : acceptors_) {
    std::error_code ec;
    acceptor->close(ec);
  }
  acceptors_.clear();
  for (auto& weak : connections_) {
    if (auto c = weak.lock()) c->close();
  }
  connections_.clear();
}

}  // namespace testdc
