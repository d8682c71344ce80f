#pragma once
// The names of the test DC's protocol-level hostile behaviours (--hostile NAME, the manifest's
// conditions.hostile): a server that lies in the MTProto layer on purpose, so tests can show the
// client ends in a clear error or a correct retry, never a crash, a hang or a wrong result. What
// each one does on the wire is in hostile.hpp.
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>

namespace testdc {

enum class Hostility {
  kBadNonce,         // the handshake's resPQ echoes a wrong nonce
  kMsgKeyMismatch,   // some encrypted packets go out with a wrong msg_key or damaged ciphertext
  kReplayedMsgId,    // an answer packet is sent again, same msg_id and bytes, before a later answer
  kMsgIdPast,        // decoy: a wrong rpc_result with a msg_id over 300 s in the past, before the real one
  kMsgIdFuture,      // decoy: likewise, msg_id over 30 s in the future
  kNestedContainer,  // decoy: a wrong rpc_result inside a msg_container inside a msg_container
  kLyingBytes,       // decoy: an rpc_result whose TL bytes length claims far more than the message holds
  kHugeVector,       // decoy: an rpc_result whose vector count is 2^31 - 1
  kGzipBomb,         // decoy: an rpc_result as gzip_packed that inflates to 1 GiB of zeros
};

using Hostilities = std::set<Hostility>;

// "bad-nonce", "msg-key-mismatch", "replayed-msg-id", "msg-id-past", "msg-id-future",
// "nested-container", "lying-bytes", "huge-vector", "gzip-bomb".
std::string_view hostility_name(Hostility h);
std::optional<Hostility> hostility_from_name(std::string_view name);
std::span<const Hostility> all_hostilities();
// The names, comma-separated (for --help and error messages).
std::string hostility_names();

}  // namespace testdc
