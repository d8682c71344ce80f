#pragma once
// The seam between the test DC's MTProto core (connections, sessions, layers, conditions) and its
// API handlers (help/auth/users/contacts/channels/messages/upload).
//
// The core decrypts a message, unwraps invokeWithLayer / initConnection / invokeWithoutUpdates /
// invokeAfterMsg(s), upgrades a request sent in an older layer to our layer (tl-schema/api.tl), and
// calls handle_api_call with the bare request (constructor id first). The handler answers with the
// boxed result in OUR layer, or an RPC error; the core downgrades the result to the client's layer,
// wraps it in rpc_result (gzip_packed when large) and applies the configured conditions.
#include <asio/awaitable.hpp>
#include <asio/any_io_executor.hpp>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

#include "auth_keys.hpp"
#include "core/bytes.hpp"
#include "core/error.hpp"
#include "tl/object.hpp"

namespace testdc {

class ServerState;  // world + mutable server-wide state (server_state.hpp)

struct ApiCall {
  ServerState& state;
  asio::any_io_executor executor;
  int dc = 0;                                // the DC whose port the connection came in on
  bool media_address = false;                // connected to the DC's media-only address
  std::uint64_t connection_id = 0;           // unique per TCP connection
  std::shared_ptr<AuthKeyInfo> key;          // never null
  std::int64_t session_id = 0;
  std::int64_t req_msg_id = 0;
  int layer = 0;                             // the client's layer (for handlers that care)
  mtp::ByteSpan request;                     // bare request in our layer, constructor id first
};

struct ApiReply {
  mtp::Bytes result;                 // boxed result object in our layer; empty on error
  std::optional<mtp::Error> error;   // RPC error (code + full message such as "FLOOD_WAIT_3")

  template <class T>
  static ApiReply ok(const T& value) {
    return ApiReply{mtp::tl::serialize(value), std::nullopt, {}};
  }
  // message is Telegram's full error string, e.g. "FILE_MIGRATE_4" or "AUTH_KEY_UNREGISTERED".
  static ApiReply fail(int code, const std::string& message) {
    return ApiReply{{}, mtp::Error::rpc(code, message), {}};
  }
  // The method name for the RPC log ("upload.getFile"); set by the handler, or by the core when the
  // request id is unknown ("unknown#1a2b3c4d").
  std::string method;
  // For the RPC log's detail column: what the handler did that the result does not show (a fault
  // it injected, such as "corrupt bytes 0:4096").
  std::string detail = {};
};

// Dispatches one API request. Unknown methods answer 400 with an error (never drop the connection).
asio::awaitable<ApiReply> handle_api_call(ApiCall& call);

}  // namespace testdc
