#include "auth/client_handshake_driver.hpp"

#include "auth/plain_message.hpp"
#include "session/message_id.hpp"

namespace mtp::auth {
namespace {

asio::awaitable<Status> send_plain(transport::PacketStream& connection, session::MessageIdGenerator& ids,
                                   ByteSpan body) {
  transport::Frame frame = transport::Frame::copy_of(encode_plain_message(ids.next(), body));
  co_return co_await connection.send(frame);
}

}  // namespace

asio::awaitable<Result<AuthKeyResult>> create_auth_key(transport::PacketStream& connection,
                                                       ClientHandshakeOptions options,
                                                       std::chrono::milliseconds timeout) {
  using Clock = std::chrono::steady_clock;
  const Clock::time_point deadline = Clock::now() + timeout;
  if (!options.clock) options.clock = session::system_wall_clock();
  session::MessageIdGenerator ids(options.clock);
  ClientHandshake handshake(std::move(options));
  // The padded intermediate transport delivers the server's random padding with the message.
  const std::size_t max_trailing =
      connection.codec().kind() == transport::TransportKind::kPaddedIntermediate ? 15 : 0;

  Bytes body = handshake.first_message();
  for (;;) {
    Status sent = co_await send_plain(connection, ids, body);
    if (!sent) co_return std::move(sent).error();

    for (;;) {  // until an answer that asks for the next message
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
      if (left.count() <= 0) {
        co_return Error::local(kErrTimeout, "HANDSHAKE_TIMEOUT",
                               "no auth key after " + std::to_string(timeout.count()) + " ms");
      }
      auto packet = co_await connection.receive(left);
      if (!packet) {
        if (packet.error().code == kErrTimeout) continue;  // the deadline check above reports it
        co_return std::move(packet).error();
      }
      if (packet->type == transport::Packet::Type::kQuickAck) continue;
      if (packet->type == transport::Packet::Type::kTransportError) {
        Error error = Error::local(kErrTransport, "TRANSPORT_ERROR",
                                   "the server answered the handshake with transport error " +
                                       std::to_string(packet->error_code));
        error.value = packet->error_code;
        co_return error;
      }
      auto message = decode_plain_message(packet->payload, max_trailing);
      if (!message) co_return std::move(message).error();
      if ((message->msg_id & 1) == 0) {
        co_return Error::local(kErrSecurity, "HANDSHAKE_BAD_MSG_ID", "server msg_id must be odd");
      }
      auto action = handshake.on_message(message->body);
      if (!action) co_return std::move(action).error();
      if (action->kind == ClientAction::Kind::kDone) co_return std::move(*action->result);
      body = std::move(action->body);
      break;
    }
  }
}

}  // namespace mtp::auth
