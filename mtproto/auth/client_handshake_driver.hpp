#pragma once
// Runs the client handshake over an open connection: plain messages with client msg_ids out,
// answers into ClientHandshake, until the key exists, the server sends a transport error, the
// state machine rejects an answer, or the time is up.
#include <asio/awaitable.hpp>
#include <chrono>

#include "auth/client_handshake.hpp"
#include "core/result.hpp"
#include "transport/stream.hpp"

namespace mtp::auth {

// `connection` is a transport::Connection (any PacketStream in the client role) on which nothing
// else is sent or received meanwhile. `timeout` bounds the whole exchange.
// Errors: those of ClientHandshake::on_message; kErrTimeout HANDSHAKE_TIMEOUT; kErrTransport
// TRANSPORT_ERROR (value = the server's code, e.g. -404); kErrSecurity PLAIN_NOT_UNENCRYPTED /
// HANDSHAKE_BAD_MSG_ID; kErrMalformed PLAIN_*; network errors of the connection.
asio::awaitable<Result<AuthKeyResult>> create_auth_key(transport::PacketStream& connection,
                                                       ClientHandshakeOptions options,
                                                       std::chrono::milliseconds timeout);

}  // namespace mtp::auth
