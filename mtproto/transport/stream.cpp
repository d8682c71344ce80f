#include "transport/stream.hpp"

#include <array>
#include <asio/experimental/as_tuple.hpp>
#include <asio/experimental/awaitable_operators.hpp>
#include <asio/steady_timer.hpp>
#include <asio/use_awaitable.hpp>
#include <asio/write.hpp>
#include <string>

#include "transport/proxy.hpp"

namespace mtp::transport {

using asio::experimental::as_tuple;
using asio::use_awaitable;

PacketStream::PacketStream(asio::ip::tcp::socket socket, TransportCodec codec, Bytes already_received)
    : socket_(std::move(socket)), codec_(std::move(codec)) {
  codec_.feed(already_received);
}

asio::awaitable<Status> PacketStream::send(Frame& frame, bool quick_ack) {
  if (auto s = codec_.encode(frame, quick_ack); !s) co_return s;
  co_return co_await write(frame.wire());
}

asio::awaitable<Status> PacketStream::send_quick_ack(std::uint32_t token) {
  Frame frame;
  if (auto s = codec_.encode_quick_ack(frame, token); !s) co_return s;
  co_return co_await write(frame.wire());
}

asio::awaitable<Status> PacketStream::send_transport_error(std::int32_t code) {
  Frame frame = Frame::transport_error(code);
  co_return co_await send(frame);
}

asio::awaitable<Status> PacketStream::write(ByteSpan wire) {
  const Bytes preamble = codec_.take_preamble();
  const std::array<asio::const_buffer, 2> buffers{asio::buffer(preamble), asio::buffer(wire.data(), wire.size())};
  auto [ec, n] = co_await asio::async_write(socket_, buffers, as_tuple(use_awaitable));
  if (ec) co_return detail::network_error("CONNECTION_WRITE_FAILED", ec.message());
  co_return Status{};
}

asio::awaitable<Result<Packet>> PacketStream::receive(std::optional<std::chrono::milliseconds> timeout) {
  using namespace asio::experimental::awaitable_operators;
  std::optional<asio::steady_timer> timer;
  if (timeout) timer.emplace(socket_.get_executor(), *timeout);  // one deadline for the whole packet

  for (;;) {
    auto next = codec_.next();
    if (!next) co_return std::move(next).error();
    if (*next) co_return **next;

    MutableByteSpan space = codec_.prepare(kMinRead);
    auto buffer = asio::buffer(space.data(), space.size());
    asio::error_code ec;
    std::size_t n = 0;
    if (timer) {
      // Cancelling a pending read consumes nothing, so a timeout leaves the stream intact.
      auto outcome = co_await (socket_.async_read_some(buffer, as_tuple(use_awaitable)) ||
                               timer->async_wait(as_tuple(use_awaitable)));
      if (outcome.index() == 1) {
        co_return Error::local(kErrTimeout, "RECEIVE_TIMEOUT",
                               std::to_string(timeout->count()).append(" ms without a complete packet"));
      }
      std::tie(ec, n) = std::get<0>(outcome);
    } else {
      std::tie(ec, n) = co_await socket_.async_read_some(buffer, as_tuple(use_awaitable));
    }
    if (n > 0) codec_.commit(n);
    if (ec) {
      if (ec == asio::error::eof) {
        std::string detail = "peer closed the connection";
        if (codec_.buffered() > 0) {
          detail.append(" in the middle of a packet (").append(std::to_string(codec_.buffered())).append(" bytes)");
        }
        co_return detail::network_error("CONNECTION_CLOSED", std::move(detail));
      }
      co_return detail::network_error("CONNECTION_READ_FAILED", ec.message());
    }
  }
}

void PacketStream::close() {
  asio::error_code ignored;
  socket_.shutdown(asio::ip::tcp::socket::shutdown_both, ignored);
  socket_.close(ignored);
}

}  // namespace mtp::transport
