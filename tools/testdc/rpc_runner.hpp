#pragma once
// One API call from request to answer: unwraps invokeWithLayer (remembering the layer on the auth
// key), initConnection, invokeWithoutUpdates and invokeAfterMsg(s); applies the call conditions
// (FLOOD_WAIT_X, 500 INTERNAL); upgrades the request from the client's layer, runs the API
// handler, downgrades the result to the client's layer; waits the configured latency; queues the
// rpc_result on the session and logs the call.
#include <asio/any_io_executor.hpp>
#include <asio/awaitable.hpp>

#include <memory>

#include "message_processor.hpp"
#include "server_core.hpp"

namespace testdc {

class ClientConnection;

struct RpcOrigin {
  asio::any_io_executor executor;
  int dc = 0;
  bool media_address = false;
  std::uint64_t connection_id = 0;
};

asio::awaitable<void> run_rpc(ServerCore& core, RpcOrigin origin, std::shared_ptr<ServerSession> session,
                              std::shared_ptr<AuthKeyInfo> key, RpcRequest request);

// Strips the wrappers of a request (invokeWithLayer etc.). Sets `layer` when invokeWithLayer is
// present. Returns the innermost query, or nullopt when a wrapper is malformed. `holder` keeps
// bytes the returned view may point into.
std::optional<mtp::ByteSpan> unwrap_request(mtp::ByteSpan query, int& layer, mtp::Bytes& holder);

}  // namespace testdc
