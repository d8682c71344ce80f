#pragma once
// Errors as values at library boundaries. An Error is either an RPC error as Telegram sends it
// (code 303/400/401/420/500..., type "FLOOD_WAIT", value 17 from "FLOOD_WAIT_17") or a local
// failure (code < 0, see ErrorCode) such as malformed input, a failed check or a dropped connection.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace mtp {

// Local error codes live below zero so they never collide with Telegram's.
enum ErrorCode : int {
  kErrMalformed = -1,    // bytes that do not parse (TL, transport framing, gzip)
  kErrSecurity = -2,     // a cryptographic or protocol check failed (msg_key, nonce, DH range...)
  kErrNetwork = -3,      // connect/read/write failure, connection closed
  kErrTimeout = -4,
  kErrTransport = -5,    // transport-level error code from the server (-404, -429...)
  kErrInvalidArgument = -6,
  kErrIo = -7,           // local file system / database
  kErrUnsupported = -8,
  kErrCancelled = -9,
  kErrInternal = -10,
};

struct Error {
  int code = kErrInternal;
  std::string type;                    // "FLOOD_WAIT", "TL_TRUNCATED", ...
  std::optional<std::int64_t> value;   // the numeric suffix of an RPC error, if any
  std::string detail;                  // human-readable context; never contains secrets

  // Parses Telegram's rpc_error message: "FLOOD_WAIT_17" -> {code, "FLOOD_WAIT", 17}.
  static Error rpc(int code, std::string_view message);
  static Error local(int code, std::string type, std::string detail = {});

  bool is_rpc() const { return code > 0; }
  bool is(std::string_view t) const { return type == t; }
  // "FLOOD_WAIT_17 (420)" or "TL_TRUNCATED: reading int64 at 12".
  std::string to_string() const;
};

}  // namespace mtp
